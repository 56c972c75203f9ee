package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.TestMachines.START;
import static io.capdjava.controlplane.machines.TestMachines.condition;
import static io.capdjava.controlplane.machines.TestMachines.deleting;
import static io.capdjava.controlplane.machines.TestMachines.healthy;
import static io.capdjava.controlplane.machines.TestMachines.healthyControlPlaneComponents;
import static io.capdjava.controlplane.machines.TestMachines.machine;
import static io.capdjava.controlplane.machines.TestMachines.withNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ClusterSpec;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestPreflightChecks} and {@code TestPreflightCheckCondition}. */
class PreflightChecksTest {
  static final PreflightChecks.Inputs CERTIFICATES =
      new PreflightChecks.Inputs(true, Optional.empty(), false, List.of(), List.of());
  static final PreflightChecks.Inputs NO_CERTIFICATES =
      new PreflightChecks.Inputs(false, Optional.empty(), false, List.of(), List.of());

  static PreflightResult check(List<Machine> machines, PreflightChecks.Inputs inputs, boolean scaleUp, String... excluded) {
    return PreflightChecks.check(new ControlPlaneMachines(machines, Set.of(), List.of(), true), inputs, scaleUp,
        Set.of(excluded));
  }

  @Test
  void withoutMachinesTheControlPlaneIsNotInitializedAndChecksPass() {
    assertTrue(check(List.of(), NO_CERTIFICATES, true).succeeded());
  }

  @Test
  void aPendingTopologyUpgradeWaits() {
    PreflightResult r = check(List.of(machine("m", healthy())),
        new PreflightChecks.Inputs(true, Optional.of("v1.33.0"), false, List.of(), List.of()), true);
    assertFalse(r.succeeded());
    assertTrue(r.topologyVersionMismatch());
    assertEquals(PreflightResult.PREFLIGHT_FAILED_REQUEUE, r.requeueAfter());
    assertEquals(List.of("* waiting for a version upgrade to v1.33.0 to be propagated"), r.conditionMessages("v1.33.0"));
  }

  @Test
  void topologyVersionIsPendingUntilTheKcpHasItOrTheCurrentUpgradeStep() {
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("c").build());
    cluster.setSpec(new ClusterSpec());
    assertEquals(Optional.empty(), PreflightChecks.pendingTopologyVersion(cluster, "v1.31.0"), "no topology");
    cluster.getSpec().setUnknownField("topology", Map.of("version", "v1.33.0"));
    assertEquals(Optional.of("v1.33.0"), PreflightChecks.pendingTopologyVersion(cluster, "v1.31.0"));
    assertEquals(Optional.empty(), PreflightChecks.pendingTopologyVersion(cluster, "v1.33.0"));
    cluster.getMetadata().setAnnotations(Map.of(Contract.Annotation.TOPOLOGY_UPGRADE_STEP, "v1.32.0"));
    assertEquals(Optional.of("v1.32.0"), PreflightChecks.pendingTopologyVersion(cluster, "v1.31.0"),
        "not yet at the current step of the upgrade plan");
    assertEquals(Optional.empty(), PreflightChecks.pendingTopologyVersion(cluster, "v1.32.0"),
        "already at the current step of the upgrade plan");
  }

  @Test
  void aDeletingMachineWaitsForItsDeletion() {
    PreflightResult r = check(List.of(machine("deleting-machine", deleting(START))), CERTIFICATES, true);
    assertFalse(r.succeeded());
    assertTrue(r.hasDeletingMachine());
    assertEquals(PreflightResult.DELETE_REQUEUE, r.requeueAfter());
    assertEquals(Duration.ofSeconds(30), r.requeueAfter());
    assertEquals(List.of("Waiting for machines to be deleted: deleting-machine"), r.failures());
  }

  @Test
  void missingCertificatesBlockScaleUpOnly() {
    PreflightResult up = check(List.of(machine("m")), NO_CERTIFICATES, true);
    assertFalse(up.succeeded());
    assertTrue(up.certificateMissing());
    assertEquals(PreflightResult.PREFLIGHT_FAILED_REQUEUE, up.requeueAfter());
    assertEquals(List.of("Certificates are missing or unknown, can't join a new machine"), up.failures());

    assertTrue(check(List.of(machine("machine-1", healthy())), NO_CERTIFICATES, false).succeeded());
  }

  @Test
  void aMachineWithoutNodeBlocksComponentsAndEtcd() {
    PreflightResult r = check(List.of(machine("machine-1")), CERTIFICATES, true);
    assertFalse(r.succeeded());
    assertTrue(r.controlPlaneComponentsNotHealthy());
    assertTrue(r.etcdClusterNotHealthy());
    assertEquals(List.of("Machine machine-1 does not have a corresponding Node yet (Machine.status.nodeRef not set)"),
        r.failures());
    assertEquals(List.of("* waiting for control plane components to become healthy",
        "* waiting for etcd cluster to become healthy"), r.conditionMessages(""));
  }

  @Test
  void anUnhealthyComponentBlocksComponentsOnly() {
    Machine m = machine("machine-1", healthy(), withNode("node-1"));
    m.getStatus().conditions.removeIf(c -> c.getType().equals(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY));
    m.getStatus().conditions.add(io.capdjava.core.Conditions.of(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY,
        "False", "Failed", "message", 1L));
    PreflightResult r = check(List.of(m), CERTIFICATES, true);
    assertFalse(r.succeeded());
    assertTrue(r.controlPlaneComponentsNotHealthy());
    assertFalse(r.etcdClusterNotHealthy());
    assertEquals(List.of("Machine machine-1 reports APIServerPodHealthy condition is false (message)"), r.failures());
  }

  @Test
  void anUnhealthyEtcdMemberBlocksEtcdOnly() {
    Machine m = machine("machine-1", healthyControlPlaneComponents(), withNode("node-1"),
        condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "False"));
    PreflightResult r = check(List.of(m), CERTIFICATES, true);
    assertFalse(r.succeeded());
    assertFalse(r.controlPlaneComponentsNotHealthy());
    assertTrue(r.etcdClusterNotHealthy());
  }

  @Test
  void healthyMachinesPass() {
    assertTrue(check(List.of(machine("machine-1", healthy()), machine("machine-2", healthy())), CERTIFICATES, true)
        .succeeded());
  }

  @Test
  void scaleDownIgnoresTheMachineBeingRemoved() {
    List<Machine> machines = List.of(machine("one"), machine("two", healthy()), machine("three", healthy()));
    assertTrue(check(machines, CERTIFICATES, false, "one").succeeded());
    assertFalse(check(List.of(machine("one"), machine("two"), machine("three", healthy())), CERTIFICATES, false, "one")
        .succeeded(), "another machine without node still blocks");
  }

  @Test
  void afterRemediationAScaleUpOnlyNeedsOneHealthyMachineAndEtcdQuorum() {
    Machine healthyOne = machine("m1", healthy());
    Machine broken = machine("m2", withNode("node-m2"), condition(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY,
        "False"), condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "True"));
    List<EtcdMember> members = List.of(new EtcdMember(1, "node-m1", false), new EtcdMember(2, "node-m2", false));
    PreflightChecks.Inputs remediating = new PreflightChecks.Inputs(true, Optional.empty(), true, members, List.of());
    assertTrue(check(List.of(healthyOne, broken), remediating, true).succeeded(),
        "target control plane keeps one healthy Machine and etcd quorum");

    Machine alsoBroken = machine("m1", withNode("node-m1"),
        condition(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY, "False"),
        condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "True"));
    PreflightResult noHealthy = check(List.of(alsoBroken, broken), remediating, true);
    assertFalse(noHealthy.succeeded());
    assertTrue(noHealthy.controlPlaneComponentsNotHealthy());
    assertEquals(List.of("cannot add a new control plane Machine when there are no control plane Machines with all"
        + " Kubernetes control plane components in healthy state. Please check Kubernetes control plane component"
        + " status"), noHealthy.failures());

    Machine etcdDown = machine("m2", healthyControlPlaneComponents(), withNode("node-m2"),
        condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "False"));
    PreflightResult quorum = check(List.of(healthyOne, etcdDown), remediating, true);
    assertFalse(quorum.succeeded());
    assertTrue(quorum.etcdClusterNotHealthy());
    assertEquals(List.of("adding a new control plane Machine can lead to etcd quorum loss. Please check the etcd status"),
        quorum.failures());
  }

  @Test
  void conditionFailuresNameTheMachineAndTheCondition() {
    Machine none = machine("m");
    assertEquals(Optional.of("Machine m does not have APIServerPodHealthy condition"),
        PreflightChecks.conditionFailure(none, "APIServerPodHealthy"));
    assertEquals(Optional.of("Machine m reports APIServerPodHealthy condition is false (APIServerPodHealthy msg)"),
        PreflightChecks.conditionFailure(machine("m", condition("APIServerPodHealthy", "False")), "APIServerPodHealthy"));
    assertEquals(Optional.of("Machine m reports APIServerPodHealthy condition is unknown (APIServerPodHealthy msg)"),
        PreflightChecks.conditionFailure(machine("m", condition("APIServerPodHealthy", "Unknown")),
            "APIServerPodHealthy"));
    assertEquals(Optional.empty(),
        PreflightChecks.conditionFailure(machine("m", condition("APIServerPodHealthy", "True")), "APIServerPodHealthy"));
  }
}
