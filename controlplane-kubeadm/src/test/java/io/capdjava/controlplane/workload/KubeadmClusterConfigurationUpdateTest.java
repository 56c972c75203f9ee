package io.capdjava.controlplane.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.capdjava.api.bootstrap.v1beta2.APIServer;
import io.capdjava.api.bootstrap.v1beta2.Arg;
import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.Etcd;
import io.capdjava.api.bootstrap.v1beta2.LocalEtcd;
import io.capdjava.core.KubernetesVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kube-system/kubeadm-config before a rollout, as upstream's {@code UpdateClusterConfiguration} with the
 * {@code updateControlPlane} mutators leaves it. The input is what kubeadm v1.34 wrote for the quick-start cluster.
 */
class KubeadmClusterConfigurationUpdateTest {
  static final String WRITTEN_BY_KUBEADM = """
      apiServer:
        certSANs:
        - localhost
        - 127.0.0.1
      apiVersion: kubeadm.k8s.io/v1beta4
      caCertificateValidityPeriod: 87600h0m0s
      certificateValidityPeriod: 8760h0m0s
      certificatesDir: /etc/kubernetes/pki
      clusterName: qs
      controlPlaneEndpoint: 172.18.0.2:6443
      controllerManager: {}
      dns: {}
      encryptionAlgorithm: RSA-2048
      etcd:
        local:
          dataDir: /var/lib/etcd
      featureGates:
        ControlPlaneKubeletLocalMode: true
      imageRepository: registry.k8s.io
      kind: ClusterConfiguration
      kubernetesVersion: v1.34.4
      networking:
        dnsDomain: cluster.local
        podSubnet: 192.168.0.0/16
        serviceSubnet: 10.128.0.0/12
      proxy: {}
      scheduler: {}
      """;

  static KubernetesVersion version(String v) {
    return KubernetesVersion.tryParse(v).orElseThrow();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String yaml) throws Exception {
    return new YAMLMapper().readValue(yaml, LinkedHashMap.class);
  }

  static ClusterConfiguration desired() {
    ClusterConfiguration c = new ClusterConfiguration();
    c.apiServer = new APIServer();
    c.apiServer.certSANs = List.of("localhost", "127.0.0.1");
    c.apiServer.extraArgs = List.of(new Arg("event-ttl", "2h"), new Arg("v", "2"));
    c.featureGates = new LinkedHashMap<>(Map.of("ControlPlaneKubeletLocalMode", true));
    return c;
  }

  @Test
  void theVersionIsAlwaysWrittenAndNothingElseWithoutAClusterConfiguration() throws Exception {
    Map<String, Object> updated = parse(new KubeadmClusterConfigurationUpdate(version("v1.35.1"), null, true)
        .apply(WRITTEN_BY_KUBEADM));
    Map<String, Object> expected = parse(WRITTEN_BY_KUBEADM);
    expected.put("kubernetesVersion", "v1.35.1");
    assertEquals(expected, updated);
  }

  @Test
  void theKcpsComponentSettingsReplaceKubeadmsAndTheRestIsKept() throws Exception {
    Map<String, Object> updated = parse(new KubeadmClusterConfigurationUpdate(version("v1.34.4"), desired(), true)
        .apply(WRITTEN_BY_KUBEADM));
    assertEquals(Map.of("certSANs", List.of("localhost", "127.0.0.1"), "extraArgs",
        List.of(Map.of("name", "event-ttl", "value", "2h"), Map.of("name", "v", "value", "2"))), updated.get("apiServer"),
        "an argument's value stays a string, even when it looks like a number");
    assertEquals(Map.of(), updated.get("controllerManager"));
    assertEquals(Map.of(), updated.get("etcd"), "no local etcd settings in the KCP: kubeadm defaults them");
    assertEquals(Map.of("ControlPlaneKubeletLocalMode", true), updated.get("featureGates"));
    // upstream writes what the KCP says: unset validity and algorithm are dropped, kubeadm's defaults apply
    assertTrue(!updated.containsKey("certificateValidityPeriod") && !updated.containsKey("encryptionAlgorithm"),
        updated.toString());
    for (String kept : List.of("networking", "controlPlaneEndpoint", "clusterName", "certificatesDir", "dns",
        "imageRepository", "caCertificateValidityPeriod", "kubernetesVersion", "apiVersion", "kind")) {
      assertEquals(parse(WRITTEN_BY_KUBEADM).get(kept), updated.get(kept), kept);
    }
  }

  @Test
  void etcdValidityAndAlgorithmComeFromTheKcpWhenSet() throws Exception {
    ClusterConfiguration c = desired();
    c.certificateValidityPeriodDays = 100;
    c.encryptionAlgorithm = "ECDSA-P256";
    c.imageRepository = "mirror.example/k8s";
    c.etcd = new Etcd();
    c.etcd.local = new LocalEtcd();
    c.etcd.local.extraArgs = List.of(new Arg("quota-backend-bytes", "8589934592"));
    Map<String, Object> updated = parse(new KubeadmClusterConfigurationUpdate(version("v1.34.4"), c, true)
        .apply(WRITTEN_BY_KUBEADM));
    assertEquals("2400h0m0s", updated.get("certificateValidityPeriod"));
    assertEquals("ECDSA-P256", updated.get("encryptionAlgorithm"));
    assertEquals("mirror.example/k8s", updated.get("imageRepository"));
    assertEquals(Map.of("local", Map.of("dataDir", "", "extraArgs",
        List.of(Map.of("name", "quota-backend-bytes", "value", "8589934592")))), updated.get("etcd"));
  }

  @Test
  void anUpToDateDocumentIsLeftAsItIs() {
    KubeadmClusterConfigurationUpdate update = new KubeadmClusterConfigurationUpdate(version("v1.34.4"), null, true);
    assertSame(WRITTEN_BY_KUBEADM, update.apply(WRITTEN_BY_KUBEADM));
    String once = new KubeadmClusterConfigurationUpdate(version("v1.34.4"), desired(), true).apply(WRITTEN_BY_KUBEADM);
    assertSame(once, new KubeadmClusterConfigurationUpdate(version("v1.34.4"), desired(), true).apply(once),
        "a second rollout step finds nothing to change");
  }

  @Test
  void aV1beta3DocumentBecomesV1beta4() throws Exception {
    String v1beta3 = """
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: ClusterConfiguration
        kubernetesVersion: v1.30.9
        apiServer:
          timeoutForControlPlane: 4m0s
          extraArgs:
            audit-log-maxage: "30"
        controllerManager:
          extraArgs:
            bind-address: 0.0.0.0
        """;
    Map<String, Object> updated = parse(new KubeadmClusterConfigurationUpdate(version("v1.31.0"), null, true)
        .apply(v1beta3));
    assertEquals("kubeadm.k8s.io/v1beta4", updated.get("apiVersion"));
    assertEquals(Map.of("extraArgs", List.of(Map.of("name", "audit-log-maxage", "value", "30"))),
        updated.get("apiServer"));
    assertEquals(Map.of("extraArgs", List.of(Map.of("name", "bind-address", "value", "0.0.0.0"))),
        updated.get("controllerManager"));
    assertEquals("v1.31.0", updated.get("kubernetesVersion"));
  }

  @Test
  void versionsBeforeKubeadmsV1beta4AndBrokenDocumentsAreRefusedClearly() {
    IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
        () -> new KubeadmClusterConfigurationUpdate(version("v1.30.2"), null, true).apply(WRITTEN_BY_KUBEADM));
    assertTrue(old.getMessage().startsWith("spec.version: "), old.getMessage());
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> new KubeadmClusterConfigurationUpdate(version("v1.34.4"), null, true).apply("apiServer: [unclosed"));
    assertTrue(broken.getMessage().startsWith("cannot read the ClusterConfiguration in kubeadm-config"),
        broken.getMessage());
  }
}
