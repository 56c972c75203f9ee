package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The providers' reading of kubeconfig files gives what fabric8's own reading gives. */
@ExtendWith(ManagementPlaneExtension.class)
class KubeconfigFilesTest {
  private static final String KUBECONFIG_PROPERTY = Config.KUBERNETES_KUBECONFIG_FILE;
  private final String before = System.getProperty(KUBECONFIG_PROPERTY);

  @TempDir Path dir;

  @AfterEach
  void restore() {
    if (before == null) System.clearProperty(KUBECONFIG_PROPERTY);
    else System.setProperty(KUBECONFIG_PROPERTY, before);
  }

  @Test
  void aKindKubeconfigWithTwoContextsReadsAsFabric8ReadsIt() throws IOException {
    use(write("kind.yaml", """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kind-capi
          cluster:
            server: https://127.0.0.1:40123
            certificate-authority-data: %s
        - name: other
          cluster:
            server: https://10.0.0.1:6443
            insecure-skip-tls-verify: true
        contexts:
        - name: kind-capi
          context:
            cluster: kind-capi
            user: kind-capi
        - name: other
          context:
            cluster: other
            user: robot
            namespace: team-a
        current-context: kind-capi
        preferences: {}
        users:
        - name: kind-capi
          user:
            client-certificate-data: %s
            client-key-data: %s
        - name: robot
          user:
            token: t0ken
        """.formatted(pem("CERTIFICATE"), pem("CERTIFICATE"), pem("EC PRIVATE KEY"))));

    Config ours = KubeconfigFiles.readPlainly().orElseThrow();
    assertEquals(described(Config.autoConfigure(null)), described(ours));
    assertEquals("https://127.0.0.1:40123/", ours.getMasterUrl());
    assertEquals("EC", ours.getClientKeyAlgo());
  }

  @Test
  void theCurrentContextsTokenNamespaceAndInsecureClusterAreTaken() throws IOException {
    use(write("robot.yaml", """
        apiVersion: v1
        kind: Config
        clusters:
        - name: other
          cluster:
            server: https://10.0.0.1:6443
            insecure-skip-tls-verify: true
        contexts:
        - name: other
          context: {cluster: other, user: robot, namespace: team-a}
        current-context: other
        users:
        - name: robot
          user: {token: t0ken}
        """));

    Config ours = KubeconfigFiles.readPlainly().orElseThrow();
    assertEquals(described(Config.autoConfigure(null)), described(ours));
    assertEquals("t0ken", ours.getAutoOAuthToken());
    assertEquals("team-a", ours.getNamespace());
    assertTrue(ours.isTrustCerts());
  }

  @Test
  void filesNamedRelativeToTheKubeconfigAndSeveralKubeconfigsMergeAsInFabric8() throws IOException {
    Files.writeString(dir.resolve("ca.crt"), new String(Base64.getDecoder().decode(pem("CERTIFICATE"))));
    File first = write("first.yaml", """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}
        contexts:
        - name: local
          context: {cluster: local, user: admin}
        current-context: local
        """);
    File second = write("second.yaml", """
        apiVersion: v1
        kind: Config
        users:
        - name: admin
          user: {client-certificate: admin.crt, client-key: admin.key}
        current-context: ignored-as-the-first-file-names-one
        """);
    use(first.getPath() + File.pathSeparator + second.getPath());

    Config ours = KubeconfigFiles.readPlainly().orElseThrow();
    assertEquals(described(Config.autoConfigure(null)), described(ours));
    assertEquals(dir.resolve("ca.crt").toString(), ours.getCaCertFile());
    assertEquals(dir.resolve("admin.key").toString(), ours.getClientKeyFile());
  }

  @Test
  void aWorkloadClustersKubeconfigSecretReadsAsFabric8ReadsIt() {
    // as KCP writes <cluster>-kubeconfig: one cluster, one user with a client certificate, one context
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: quick-start
          cluster: {server: "https://172.18.0.3:6443", certificate-authority-data: %s}
        contexts:
        - name: quick-start-admin@quick-start
          context: {cluster: quick-start, user: quick-start-admin}
        current-context: quick-start-admin@quick-start
        users:
        - name: quick-start-admin
          user: {client-certificate-data: %s, client-key-data: %s}
        """.formatted(pem("CERTIFICATE"), pem("CERTIFICATE"), pem("RSA PRIVATE KEY"));

    Config ours = KubeconfigFiles.fromKubeconfig(kubeconfig);
    assertEquals(described(Config.fromKubeconfig(kubeconfig)), described(ours));
    assertEquals("https://172.18.0.3:6443/", ours.getMasterUrl());
    assertEquals("RSA", ours.getClientKeyAlgo());
  }

  @Test
  void anythingElseIsLeftToFabric8() throws IOException {
    use(write("auth-provider.yaml", """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "https://127.0.0.1:6443"}
        contexts:
        - name: local
          context: {cluster: local, user: admin}
        current-context: local
        users:
        - name: admin
          user:
            auth-provider:
              name: gcp
              config: {access-token: t0ken-of-the-provider}
        """));

    assertEquals(Optional.empty(), KubeconfigFiles.readPlainly());
    Config config = KubeconfigFiles.autoConfigure();
    assertEquals("t0ken-of-the-provider", config.getAutoOAuthToken());
    assertEquals(described(Config.autoConfigure(null)), described(config));
  }

  @Test
  void withoutAKubeconfigFileFabric8ConfiguresTheClient() {
    use(dir.resolve("absent").toString());
    assertFalse(KubeconfigFiles.readPlainly().isPresent());
    assertEquals(described(Config.autoConfigure(null)), described(KubeconfigFiles.autoConfigure()));
  }

  @Test
  void theProvidersClientReachesTheManagementClusterOfItsKubeconfig(ManagementPlane plane) {
    use(plane.kubeconfig().toString());
    try (KubernetesClient client = ManagementClient.build()) {
      assertEquals(plane.namespace(), client.namespaces().withName(plane.namespace()).get().getMetadata().getName());
    }
  }

  private void use(String kubeconfigs) {
    System.setProperty(KUBECONFIG_PROPERTY, kubeconfigs);
  }

  private void use(File kubeconfig) {
    use(kubeconfig.getPath());
  }

  private File write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content).toFile();
  }

  private static String pem(String type) {
    String body = Base64.getEncoder().encodeToString(("not a real " + type).getBytes());
    return Base64.getEncoder().encodeToString(
        ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes());
  }

  /** What a client is made from, as fields a reader can compare. */
  private static Map<String, Object> described(Config config) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("masterUrl", config.getMasterUrl());
    fields.put("caCertData", config.getCaCertData());
    fields.put("caCertFile", config.getCaCertFile());
    fields.put("clientCertData", config.getClientCertData());
    fields.put("clientCertFile", config.getClientCertFile());
    fields.put("clientKeyData", config.getClientKeyData());
    fields.put("clientKeyFile", config.getClientKeyFile());
    fields.put("clientKeyAlgo", config.getClientKeyAlgo());
    fields.put("token", config.getAutoOAuthToken());
    fields.put("username", config.getUsername());
    fields.put("password", config.getPassword());
    fields.put("namespace", config.getNamespace());
    fields.put("trustCerts", config.isTrustCerts());
    fields.put("disableHostnameVerification", config.isDisableHostnameVerification());
    fields.put("impersonate", config.getImpersonateUsername());
    fields.put("currentContext", config.getCurrentContext() == null ? null : config.getCurrentContext().getName());
    fields.put("contexts", config.getContexts().stream().map(c -> c.getName()).toList());
    fields.put("requestTimeout", config.getRequestTimeout());
    fields.put("autoConfigure", config.getAutoConfigure());
    fields.put("file", config.getFile());
    return fields;
  }
}
