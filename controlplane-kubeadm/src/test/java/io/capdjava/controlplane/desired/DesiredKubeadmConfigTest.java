package io.capdjava.controlplane.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestComputeDesiredKubeadmConfig} and {@code TestDefaultFeatureGates} behaviour. */
class DesiredKubeadmConfigTest {

  @Test
  void firstMachineGetsTheInitConfigurationOnly() {
    KubeadmConfig config = DesiredKubeadmConfig.build(TestControlPlanes.kcp("v1.30.0"), "c1", false, "kcp-abcde");
    assertEquals("init", config.getSpec().initConfiguration.nodeRegistration.name);
    assertNull(config.getSpec().joinConfiguration);
    assertEquals("kcp-abcde", config.getMetadata().getName());
    assertEquals("ns", config.getMetadata().getNamespace());
  }

  @Test
  void joiningMachinesGetTheJoinConfigurationWithTheControlPlaneMarker() {
    KubeadmConfigSpec spec = DesiredKubeadmConfig.spec(TestControlPlanes.kcp("v1.30.0"), true);
    assertNull(spec.initConfiguration);
    assertEquals("join", spec.joinConfiguration.nodeRegistration.name);
    assertNotNull(spec.joinConfiguration.controlPlane, "joinConfiguration.controlPlane marks a control plane join");
    assertEquals("/etc/kubernetes/pki", spec.clusterConfiguration.certificatesDir,
        "the cluster configuration stays (CABPK reads external etcd from it)");
  }

  @Test
  void theKcpIsANonControllerOwnerAndTheLabelsAreForced() {
    KubeadmConfig config = DesiredKubeadmConfig.build(TestControlPlanes.kcp("v1.30.0"), "c1", true, "kcp-abcde");
    OwnerReference owner = config.getMetadata().getOwnerReferences().get(0);
    assertEquals("controlplane.cluster.x-k8s.io/v1beta2", owner.getApiVersion());
    assertEquals("KubeadmControlPlane", owner.getKind());
    assertEquals("kcp-uid", owner.getUid());
    assertNull(owner.getController(), "CAPI core makes the Machine the controller");
    Map<String, String> labels = config.getMetadata().getLabels();
    assertEquals("c1", labels.get(Contract.Label.CLUSTER_NAME), "forced over the template's value");
    assertEquals("", labels.get(Contract.Label.CONTROL_PLANE));
    assertEquals("kcp", labels.get(Contract.Label.CONTROL_PLANE_NAME));
    assertEquals("blue", labels.get("team"));
    assertEquals("from template", config.getMetadata().getAnnotations().get("note"));
  }

  @Test
  void kubeletLocalModeIsOnFrom131To135Only() {
    assertNull(gates("v1.30.9"));
    assertEquals(Map.of(DesiredKubeadmConfig.CONTROL_PLANE_KUBELET_LOCAL_MODE, true), gates("v1.31.0"));
    assertEquals(Map.of(DesiredKubeadmConfig.CONTROL_PLANE_KUBELET_LOCAL_MODE, true), gates("v1.35.0-rc.1"));
    assertNull(gates("v1.36.0"));
    KubeadmControlPlane kcp = TestControlPlanes.kcp("v1.33.0");
    kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.featureGates =
        new java.util.HashMap<>(Map.of(DesiredKubeadmConfig.CONTROL_PLANE_KUBELET_LOCAL_MODE, false));
    assertEquals(false, DesiredKubeadmConfig.spec(kcp, true).clusterConfiguration.featureGates
        .get(DesiredKubeadmConfig.CONTROL_PLANE_KUBELET_LOCAL_MODE), "a user's choice is kept");
    assertNull(kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.featureGates.get("other"),
        "the KCP itself is not changed");
  }

  @Test
  void anUnreadableVersionIsAnErrorNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DesiredKubeadmConfig.spec(TestControlPlanes.kcp("latest"), true));
    assertEquals("spec.version: cannot parse Kubernetes version \"latest\"", e.getMessage());
  }

  private static Map<String, Boolean> gates(String version) {
    return DesiredKubeadmConfig.spec(TestControlPlanes.kcp(version), true).clusterConfiguration.featureGates;
  }
}
