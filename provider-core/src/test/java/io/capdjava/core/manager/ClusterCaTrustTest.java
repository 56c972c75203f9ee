package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client whose kubeconfig names its cluster's CA trusts that CA and no other, as kubectl does. */
@ExtendWith(ManagementPlaneExtension.class)
class ClusterCaTrustTest {
  private static final String TRUST_STORE = "javax.net.ssl.trustStore";
  private final String before = System.getProperty(TRUST_STORE);

  @AfterEach
  void restore() {
    if (before == null) System.clearProperty(TRUST_STORE);
    else System.setProperty(TRUST_STORE, before);
  }

  @Test
  void aClientOfAClusterWithItsOwnCaTrustsThatCaAloneAndReachesTheApiServer(ManagementPlane plane) throws Exception {
    Config config = ClusterCaTrust.apply(KubeconfigFiles.fromKubeconfig(Files.readString(plane.kubeconfig())));

    // fabric8 alone: the JDK's ~140 public CAs as well, each of which could then vouch for this cluster's API server
    assertEquals(List.of(caOf(config)), Arrays.asList(trustManager(config).getAcceptedIssuers()));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      assertEquals(plane.namespace(), client.namespaces().withName(plane.namespace()).get().getMetadata().getName());
    }
  }

  @Test
  void aKubeconfigWithoutACaIsLeftToTheJdksCaBundle() throws Exception {
    Config config = ClusterCaTrust.apply(KubeconfigFiles.fromKubeconfig("""
        apiVersion: v1
        kind: Config
        clusters:
        - name: public
          cluster: {server: "https://api.example.org:6443"}
        contexts:
        - name: public
          context: {cluster: public, user: admin}
        current-context: public
        users:
        - name: admin
          user: {token: t0ken}
        """));

    assertNull(config.getTrustStoreFile());
    assertTrue(trustManager(config).getAcceptedIssuers().length > 50, "the JDK's CA bundle");
  }

  @Test
  void aTrustStoreTheProcessWasGivenIsKept(ManagementPlane plane) throws Exception {
    System.setProperty(TRUST_STORE, plane.kubeconfig().resolveSibling("operator-chosen.p12").toString());
    Config config = ClusterCaTrust.apply(KubeconfigFiles.fromKubeconfig(Files.readString(plane.kubeconfig())));
    assertNull(config.getTrustStoreFile());
  }

  private static X509TrustManager trustManager(Config config) throws Exception {
    return (X509TrustManager) SSLUtils.trustManagers(config)[0];
  }

  private static X509Certificate caOf(Config config) throws Exception {
    byte[] pem = Base64.getDecoder().decode(config.getCaCertData());
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }
}
