package io.capdjava.core.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagementPlaneExtension.class)
class AdminKubeconfigTest {
  @Test
  void kubeconfigHasUpstreamsNamesAndAUsableAdminCertificate() throws Exception {
    CertificateKeyPair ca = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
    String yaml = AdminKubeconfig.generate("demo", AdminKubeconfig.server("10.0.0.5", 6443), ca, KeyAlgorithm.RSA_2048);

    Config config = Config.fromKubeconfig(yaml);
    assertEquals("https://10.0.0.5:6443/", config.getMasterUrl());
    assertEquals("demo-admin@demo", config.getCurrentContext().getName());
    assertEquals("demo", config.getCurrentContext().getContext().getCluster());
    assertEquals("demo-admin", config.getCurrentContext().getContext().getUser());
    String caData = new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.US_ASCII);
    assertEquals(ca.cert(), caData);
    var cert = CertificateIssuerTest.jdkParse(
        new String(Base64.getDecoder().decode(config.getClientCertData()), StandardCharsets.US_ASCII));
    cert.verify(ca.certificate().getPublicKey());
    assertEquals("CN=kubernetes-admin,O=system:masters", cert.getSubjectX500Principal().getName());
    assertFalse(AdminKubeconfig.needsClientCertRotation(yaml, CertificateIssuer.CLIENT_CERTIFICATE_RENEWAL));
    assertTrue(AdminKubeconfig.needsClientCertRotation(yaml, Duration.ofDays(366)));
    assertEquals("https://[fd00::1]:6443", AdminKubeconfig.server("fd00::1", 6443));

    Secret secret = AdminKubeconfig.secret("ns", "demo", yaml,
        new OwnerReferenceBuilder().withApiVersion("controlplane.cluster.x-k8s.io/v1beta2").withKind("KubeadmControlPlane")
            .withName("demo").withUid("u1").withController(true).withBlockOwnerDeletion(true).build());
    assertEquals("demo-kubeconfig", secret.getMetadata().getName());
    assertEquals("cluster.x-k8s.io/secret", secret.getType());
    assertEquals("demo", secret.getMetadata().getLabels().get("cluster.x-k8s.io/cluster-name"));
    assertEquals(yaml, new String(Base64.getDecoder().decode(secret.getData().get("value")), StandardCharsets.UTF_8));
  }

  /** The real API server accepts the admin certificate when it is signed by the CA it trusts. */
  @Test
  void theApiServerAcceptsTheAdminCertificateAsSystemMasters(ManagementPlane plane) throws Exception {
    Path pki = plane.kubeconfig().getParent().resolve("pki");
    assumeTrue(Files.exists(pki.resolve("ca.key")), "the plane's CA key is at hand only when hack/testenv.sh made it");
    CertificateKeyPair planeCa = new CertificateKeyPair(Files.readString(pki.resolve("ca.crt")), Files.readString(pki.resolve("ca.key")));
    String server = Config.fromKubeconfig(Files.readString(plane.kubeconfig())).getMasterUrl().replaceAll("/$", "");
    String yaml = AdminKubeconfig.generate("testenv", server, planeCa, KeyAlgorithm.ECDSA_P256);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build()) {
      assertNotNull(client.namespaces().withName(plane.namespace()).get());
      assertTrue(client.rbac().clusterRoles().list().getItems().size() > 0, "admin rights (system:masters)");
    }
  }
}
