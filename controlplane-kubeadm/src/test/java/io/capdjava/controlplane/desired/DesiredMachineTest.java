package io.capdjava.controlplane.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.Etcd;
import io.capdjava.api.bootstrap.v1beta2.ExternalEtcd;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateDeletionSpec;
import io.capdjava.api.controlplane.v1beta2.MachineReadinessGate;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestComputeDesiredMachine} for a new Machine. */
class DesiredMachineTest {
  static final ContractVersionedObjectReference INFRA =
      new ContractVersionedObjectReference(Contract.INFRASTRUCTURE_GROUP, "DockerMachine", "kcp-abcde");
  static final ContractVersionedObjectReference BOOTSTRAP =
      new ContractVersionedObjectReference(Contract.BOOTSTRAP_GROUP, "KubeadmConfig", "kcp-abcde");

  static Machine build(KubeadmControlPlane kcp, String failureDomain) {
    return DesiredMachine.build(kcp, "c1", "kcp-abcde", failureDomain, INFRA, BOOTSTRAP);
  }

  @Test
  void machineIsControlledByTheKcpWithControlPlaneLabelsAndTheCleanupHook() {
    Machine m = build(TestControlPlanes.kcp("v1.34.2"), "fd-1");
    OwnerReference owner = m.getMetadata().getOwnerReferences().get(0);
    assertEquals("KubeadmControlPlane", owner.getKind());
    assertEquals("kcp-uid", owner.getUid());
    assertEquals(true, owner.getController());
    assertEquals(true, owner.getBlockOwnerDeletion());
    assertEquals("c1", m.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));
    assertEquals("", m.getMetadata().getLabels().get(Contract.Label.CONTROL_PLANE));
    assertEquals("kcp", m.getMetadata().getLabels().get(Contract.Label.CONTROL_PLANE_NAME));
    assertEquals(Map.of("note", "from template", KubeadmControlPlane.PRE_TERMINATE_HOOK_CLEANUP_ANNOTATION, ""),
        m.getMetadata().getAnnotations());
    assertEquals("c1", m.getSpec().clusterName);
    assertEquals("v1.34.2", m.getSpec().version);
    assertEquals("fd-1", m.getSpec().failureDomain);
    assertEquals(INFRA, m.getSpec().infrastructureRef);
    assertEquals(BOOTSTRAP, m.getSpec().bootstrap.configRef);
  }

  @Test
  void noFailureDomainLeavesTheFieldUnset() {
    assertNull(build(TestControlPlanes.kcp("v1.34.2"), "").getSpec().failureDomain);
  }

  @Test
  void readinessGatesAreKcpsThenTheUsersWithoutDuplicates() {
    KubeadmControlPlane kcp = TestControlPlanes.kcp("v1.34.2");
    MachineReadinessGate user = new MachineReadinessGate();
    user.conditionType = "Custom";
    MachineReadinessGate dup = new MachineReadinessGate();
    dup.conditionType = "APIServerPodHealthy";
    kcp.getSpec().machineTemplate.spec.readinessGates = List.of(dup, user);
    assertEquals(List.of("NodeKubeadmLabelsAndTaintsSet", "APIServerPodHealthy", "ControllerManagerPodHealthy",
        "SchedulerPodHealthy", "EtcdPodHealthy", "EtcdMemberHealthy", "Custom"), gates(build(kcp, "")));

    kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.etcd = new Etcd();
    kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.etcd.external = new ExternalEtcd();
    assertEquals(List.of("NodeKubeadmLabelsAndTaintsSet", "APIServerPodHealthy", "ControllerManagerPodHealthy",
        "SchedulerPodHealthy", "Custom"), gates(build(kcp, "")), "no etcd gates with external etcd");
  }

  @Test
  void deletionTimeoutsAndTaintsComeFromTheMachineTemplate() {
    KubeadmControlPlane kcp = TestControlPlanes.kcp("v1.34.2");
    kcp.getSpec().machineTemplate.spec.deletion = new KubeadmControlPlaneMachineTemplateDeletionSpec();
    kcp.getSpec().machineTemplate.spec.deletion.nodeDrainTimeoutSeconds = 10;
    kcp.getSpec().machineTemplate.spec.deletion.nodeDeletionTimeoutSeconds = 20;
    Machine m = build(kcp, "");
    assertEquals(Map.of("nodeDrainTimeoutSeconds", 10, "nodeDeletionTimeoutSeconds", 20),
        m.getSpec().getUnknownFields().get("deletion"));
    assertTrue(!build(TestControlPlanes.kcp("v1.34.2"), "").getSpec().getUnknownFields().containsKey("deletion"));
  }

  @Test
  void aReplacementMachineCarriesTheRemediationItReplaces() {
    KubeadmControlPlane kcp = TestControlPlanes.kcp("v1.34.2");
    kcp.getMetadata().setAnnotations(Map.of(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION, "{\"machine\":\"m1\"}"));
    assertEquals("{\"machine\":\"m1\"}",
        build(kcp, "").getMetadata().getAnnotations().get(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> gates(Machine m) {
    return ((List<Map<String, Object>>) m.getSpec().getUnknownFields().get("readinessGates")).stream()
        .map(g -> g.get("conditionType")).toList();
  }
}
