package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementClientTest {
  private final String before = System.getProperty(ManagementClient.KEY_PBE_ITERATIONS);
  private final String kubeconfigBefore = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);

  @TempDir Path dir;

  @AfterEach
  void restore() {
    if (before == null) System.clearProperty(ManagementClient.KEY_PBE_ITERATIONS);
    else System.setProperty(ManagementClient.KEY_PBE_ITERATIONS, before);
    if (kubeconfigBefore == null) System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    else System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfigBefore);
  }

  @Test
  void inMemoryKeyStoreEntriesGetOneIteration() {
    System.clearProperty(ManagementClient.KEY_PBE_ITERATIONS);
    ManagementClient.protectInMemoryKeyStoresCheaply();
    assertEquals("1", System.getProperty(ManagementClient.KEY_PBE_ITERATIONS));
  }

  @Test
  void anIterationCountTheOperatorSetIsKept() {
    System.setProperty(ManagementClient.KEY_PBE_ITERATIONS, "5000");
    ManagementClient.protectInMemoryKeyStoresCheaply();
    assertEquals("5000", System.getProperty(ManagementClient.KEY_PBE_ITERATIONS));
  }

  @Test
  void aClientCertificateUserGetsNoTokenRefreshThatWouldReadItsKubeconfigFilesOnEveryRequest() throws IOException {
    CertificateKeyPair admin = CertificateIssuer.adminClientCertificate(
        CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null), KeyAlgorithm.RSA_2048);
    kubeconfig("client-certificate-data: " + base64(admin.cert()) + "\n"
        + "    client-key-data: " + base64(admin.key()));
    // fabric8's interceptor re-reads the files before each request once the client is a minute old, while no token is found
    assertFalse(tokenInterceptorOf(ManagementClient.configuration()) instanceof TokenRefreshInterceptor);
  }

  @Test
  void tokenAndPasswordUsersKeepFabric8sTokenInterceptor() throws IOException {
    kubeconfig("token: t0ken");
    assertInstanceOf(TokenRefreshInterceptor.class, tokenInterceptorOf(ManagementClient.configuration()));
    kubeconfig("username: admin\n    password: s3cret");
    assertInstanceOf(TokenRefreshInterceptor.class, tokenInterceptorOf(ManagementClient.configuration()));
  }

  @Test
  void aTokenUsersConfigurationStillTakesANewTokenFromItsFiles() throws IOException {
    kubeconfig("token: first-t0ken");
    Config config = ManagementClient.configuration();
    kubeconfig("token: second-t0ken");

    assertEquals("second-t0ken", config.refresh().getAutoOAuthToken());
  }

  private static Interceptor tokenInterceptorOf(Config config) {
    var builder = (StandardHttpClientBuilder<?, ?, ?>) ManagementClient.httpClientFactory(config).newBuilder(config);
    return builder.getInterceptors().get(TokenRefreshInterceptor.NAME);
  }

  private Path kubeconfig(String user) throws IOException {
    Path file = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kind-capi
          cluster: {server: "https://127.0.0.1:40123"}
        contexts:
        - name: kind-capi
          context: {cluster: kind-capi, user: kind-capi}
        current-context: kind-capi
        users:
        - name: kind-capi
          user:
            %s
        """.formatted(user));
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, file.toString());
    return file;
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes());
  }
}
