package io.capdjava.controlplane.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneInitializationStatus;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneStatus;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.PreflightResult;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream {@code status_test.go}: the conditions and counters of {@code updateStatus}. */
class ControlPlaneStatusTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final ControlPlaneStatus.Inputs NOTHING = new ControlPlaneStatus.Inputs(PreflightResult.PASSED, "", false, "",
      "", true, "", null, false);

  static KubeadmControlPlane kcp(Integer replicas) {
    KubeadmControlPlane kcp = new KubeadmControlPlane();
    kcp.setMetadata(new ObjectMetaBuilder().withName("kcp").withGeneration(2L).build());
    kcp.setSpec(new KubeadmControlPlaneSpec());
    kcp.getSpec().replicas = replicas;
    kcp.getSpec().machineTemplate = new KubeadmControlPlaneMachineTemplate();
    kcp.getSpec().machineTemplate.spec = new KubeadmControlPlaneMachineTemplateSpec();
    kcp.getSpec().machineTemplate.spec.infrastructureRef =
        new ContractVersionedObjectReference("infrastructure.cluster.x-k8s.io", "AWSTemplate", "t");
    return kcp;
  }

  static Machine machine(String name, Condition... conditions) {
    Machine m = new Machine();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp(NOW.minus(Duration.ofHours(1)).toString())
        .build());
    m.setSpec(new MachineSpec());
    m.getSpec().version = "v1.30.0";
    m.setStatus(new MachineStatus());
    m.getStatus().conditions = new ArrayList<>(List.of(conditions));
    return m;
  }

  static Condition c(String type, String status, String message) {
    return Conditions.of(type, status, status.equals("True") ? "Ok" : "NotOk", message, 1L);
  }

  static List<Machine> three() {
    return List.of(machine("m1"), machine("m2"), machine("m3"));
  }

  @Test
  void scalingUpConditionAsUpstream() {
    assertCondition(ControlPlaneStatus.scalingUp(kcp(null), three(), NOTHING, 2L), "Unknown", "WaitingForReplicasSet",
        "Waiting for spec.replicas set");
    assertCondition(ControlPlaneStatus.scalingUp(kcp(3), three(), NOTHING, 2L), "False", "NotScalingUp", "");
    assertCondition(ControlPlaneStatus.scalingUp(kcp(3), three(),
        new ControlPlaneStatus.Inputs(PreflightResult.PASSED, "", true, "", "", true, "", null, false), 2L), "False", "NotScalingUp",
        "Scaling up would be blocked because AWSTemplate does not exist");
    assertCondition(ControlPlaneStatus.scalingUp(kcp(5), three(), NOTHING, 2L), "True", "ScalingUp",
        "Scaling up from 3 to 5 replicas");
    KubeadmControlPlane deleted = kcp(5);
    deleted.getMetadata().setDeletionTimestamp(NOW.toString());
    assertCondition(ControlPlaneStatus.scalingUp(deleted, three(), NOTHING, 2L), "False", "NotScalingUp", "");
    assertCondition(ControlPlaneStatus.scalingUp(kcp(5), three(),
        new ControlPlaneStatus.Inputs(PreflightResult.PASSED, "", true, "", "", true, "", null, false), 2L), "True", "ScalingUp",
        "Scaling up from 3 to 5 replicas is blocked because:\n* AWSTemplate does not exist");
    PreflightResult allBlocked = new PreflightResult(false, true, true, true, true, true, Duration.ofSeconds(15), List.of());
    assertCondition(ControlPlaneStatus.scalingUp(kcp(5), three(),
        new ControlPlaneStatus.Inputs(allBlocked, "v1.32.0", false, "", "", true, "", null, false), 2L), "True", "ScalingUp",
        "Scaling up from 3 to 5 replicas is blocked because:\n"
            + "* waiting for a version upgrade to v1.32.0 to be propagated\n"
            + "* waiting for a control plane Machine to complete deletion\n"
            + "* cluster certificates are missing or unknown\n"
            + "* waiting for control plane components to become healthy\n"
            + "* waiting for etcd cluster to become healthy");
  }

  @Test
  void aFailedMachineCreationShowsInScalingUp() {
    ControlPlaneStatus.Inputs failed = new ControlPlaneStatus.Inputs(PreflightResult.PASSED, "", false, "", "", true,
        "failed to create control plane Machine ns/kcp-x: spec.machineNaming.template: {{ .random }} is missing in x", null, false);
    assertCondition(ControlPlaneStatus.scalingUp(kcp(1), List.of(), failed, 2L), "True", "ScalingUp",
        "Scaling up from 0 to 1 replicas is blocked because:\n* failed to create control plane Machine ns/kcp-x:"
            + " spec.machineNaming.template: {{ .random }} is missing in x");
  }

  @Test
  void scalingDownConditionAsUpstream() {
    assertCondition(ControlPlaneStatus.scalingDown(kcp(3), three(), NOTHING, NOW, 2L), "False", "NotScalingDown", "");
    assertCondition(ControlPlaneStatus.scalingDown(kcp(1), three(), NOTHING, NOW, 2L), "True", "ScalingDown",
        "Scaling down from 3 to 1 replicas");
    Machine stuck = machine("m1");
    stuck.getMetadata().setDeletionTimestamp(NOW.minus(Duration.ofMinutes(30)).toString());
    assertCondition(ControlPlaneStatus.scalingDown(kcp(1), List.of(stuck, machine("m2"), machine("m3")), NOTHING, NOW, 2L),
        "True", "ScalingDown",
        "Scaling down from 3 to 1 replicas is blocked because:\n* Machine m1 is in deletion since more than 15m");
  }

  @Test
  void rollingOutListsReasonsVersionFirst() {
    List<Machine> machines = List.of(
        machine("m1", c("UpToDate", "True", "")),
        machine("m2", c("UpToDate", "Unknown", "")),
        machine("m4", c("UpToDate", "False", "* Failure domain failure-domain1, failure-domain2 required\n"
            + "* InfrastructureMachine is not up-to-date")),
        machine("m3", c("UpToDate", "False", "* Version v1.25.0, v1.26.0 required")));
    assertCondition(ControlPlaneStatus.rollingOut(machines, 2L), "True", "RollingOut",
        "Rolling out 2 not up-to-date replicas\n"
            + "* Version v1.25.0, v1.26.0 required\n"
            + "* Failure domain failure-domain1, failure-domain2 required\n"
            + "* InfrastructureMachine is not up-to-date");
    assertCondition(ControlPlaneStatus.rollingOut(List.of(), 2L), "False", "NotRollingOut", "");
  }

  @Test
  void machinesReadyAndUpToDateAggregateTheMachines() {
    assertCondition(ControlPlaneStatus.machinesReady(List.of(), 2L), "True", "NoReplicas", "");
    assertCondition(ControlPlaneStatus.machinesUpToDate(List.of(), NOW, 2L), "True", "NoReplicas", "");

    Condition readyTrue = c("Ready", "True", "");
    Condition readyFalse = c("Ready", "False", "NotReady");
    Condition upToDateTrue = c("UpToDate", "True", "");
    Condition upToDateFalse = c("UpToDate", "False", "NotUpToDate");
    Machine fresh = machine("m5", readyFalse);
    fresh.getMetadata().setCreationTimestamp(NOW.minus(Duration.ofSeconds(5)).toString());
    List<Machine> machines = List.of(machine("m1", readyTrue, upToDateTrue), machine("m2", readyTrue, upToDateFalse),
        machine("m3", readyFalse, upToDateFalse), machine("m4", readyFalse), fresh);
    assertCondition(ControlPlaneStatus.machinesReady(machines, 2L), "False", "NotReady", "* Machines m3, m4, m5: NotReady");
    assertCondition(ControlPlaneStatus.machinesUpToDate(machines, NOW, 2L), "False", "NotUpToDate",
        "* Machines m2, m3: NotUpToDate\n* Machine m4: Condition UpToDate not yet reported");
  }

  @Test
  void replicasVersionsAndSelector() {
    KubeadmControlPlane kcp = kcp(3);
    Machine newer = machine("b", c("Ready", "True", ""), c("Available", "True", ""), c("UpToDate", "True", ""));
    newer.getSpec().version = "v1.31.0";
    Machine kubeletBehind = machine("c", c("Ready", "True", ""));
    kubeletBehind.getSpec().version = "v1.31.0";
    kubeletBehind.getStatus().setUnknownField("nodeInfo", Map.of("kubeletVersion", "v1.30.0"));
    ControlPlaneStatus.update(kcp, "c1", List.of(newer, machine("a"), kubeletBehind), NOTHING, NOW);
    KubeadmControlPlaneStatus s = kcp.getStatus();
    assertEquals("cluster.x-k8s.io/cluster-name=c1,cluster.x-k8s.io/control-plane", s.selector);
    assertEquals(3, s.replicas);
    assertEquals(2, s.readyReplicas);
    assertEquals(1, s.availableReplicas);
    assertEquals(1, s.upToDateReplicas);
    assertEquals(List.of("v1.30.0", "v1.31.0"), s.versions.stream().map(v -> v.version).toList());
    assertEquals(List.of(2, 1), s.versions.stream().map(v -> v.replicas).toList());
    assertEquals("v1.30.0", s.version, "the oldest version");
    assertNull(ControlPlaneStatus.versions(List.of()));
  }

  @Test
  void initializedAndAvailableBeforeInitialization() {
    KubeadmControlPlane kcp = kcp(1);
    ControlPlaneStatus.update(kcp, "c1", List.of(machine("m1")), NOTHING, NOW);
    assertCondition(get(kcp, "Initialized"), "False", "NotInitialized", "");
    assertCondition(get(kcp, "Available"), "False", "NotAvailable", "Control plane not yet initialized");
    assertCondition(get(kcp, "Deleting"), "False", "NotDeleting", "");
    assertCondition(get(kcp, "Remediating"), "False", "NotRemediating", "");
  }

  @Test
  void availableWithExternalEtcdNeedsOneMachineWithHealthyComponentsAndCertificates() {
    KubeadmControlPlane kcp = kcp(1);
    kcp.getStatus();
    kcp.setStatus(new KubeadmControlPlaneStatus());
    kcp.getStatus().initialization = new KubeadmControlPlaneInitializationStatus();
    kcp.getStatus().initialization.controlPlaneInitialized = true;
    KcpStatus.set(kcp, Conditions.isTrue("CertificatesAvailable", "Available", 2L));
    Machine m = machine("m1", c("APIServerPodHealthy", "True", ""), c("ControllerManagerPodHealthy", "True", ""),
        c("SchedulerPodHealthy", "True", ""));
    m.getSpec().providerID = "docker:////m1";
    ControlPlaneStatus.Inputs external = new ControlPlaneStatus.Inputs(PreflightResult.PASSED, "", false, "", "", false, "", null, false);
    assertCondition(ControlPlaneStatus.available(kcp, List.of(m), external, NOW, 2L), "True", "Available", "");
    assertCondition(ControlPlaneStatus.available(kcp, List.of(machine("m2")), external, NOW, 2L), "False",
        "NotAvailable", "* There are no Machines with healthy control plane components, at least 1 required");
    assertEquals("Unknown", ControlPlaneStatus.available(kcp, List.of(m), NOTHING, NOW, 2L).getStatus(),
        "with stacked etcd and no member list (and no Initialized condition to count a grace period from) it is unknown");
  }

  static KubeadmControlPlane initializedKcp(Instant initializedAt) {
    KubeadmControlPlane kcp = kcp(3);
    kcp.setStatus(new KubeadmControlPlaneStatus());
    kcp.getStatus().initialization = new KubeadmControlPlaneInitializationStatus();
    kcp.getStatus().initialization.controlPlaneInitialized = true;
    KcpStatus.set(kcp, Conditions.isTrue("CertificatesAvailable", "Available", 2L));
    Condition initialized = Conditions.isTrue("Initialized", "Initialized", 2L);
    initialized.setLastTransitionTime(initializedAt.toString());
    kcp.getStatus().conditions.removeIf(c -> c.getType().equals("Initialized"));
    kcp.getStatus().conditions.add(initialized);
    return kcp;
  }

  /** A provisioned Machine with a Node; {@code etcdMember} is its EtcdMemberHealthy, False since {@code since}. */
  static Machine stacked(String name, String etcdMember, Instant since) {
    Condition member = Conditions.of("EtcdMemberHealthy", etcdMember, "r", "", 1L);
    member.setLastTransitionTime(since.toString());
    Machine m = machine(name, c("APIServerPodHealthy", "True", ""), c("ControllerManagerPodHealthy", "True", ""),
        c("SchedulerPodHealthy", "True", ""), c("EtcdPodHealthy", "True", ""), member);
    m.getSpec().providerID = "docker:////" + name;
    m.getStatus().nodeRef = new io.capdjava.api.core.v1beta2.MachineNodeReference();
    m.getStatus().nodeRef.name = name;
    return m;
  }

  static ControlPlaneStatus.Inputs etcd(List<EtcdMember> members, boolean matching) {
    return new ControlPlaneStatus.Inputs(PreflightResult.PASSED, "", false, "", "", true, "", members, matching);
  }

  static List<EtcdMember> members(String... names) {
    return java.util.Arrays.stream(names).map(n -> new EtcdMember(n.hashCode(), n, false)).toList();
  }

  @Test
  void availableWithStackedEtcdWaitsForTheMemberListThenSaysItCannotReadIt() {
    List<Machine> machines = List.of(stacked("m1", "True", NOW));
    assertCondition(ControlPlaneStatus.available(initializedKcp(NOW.minusSeconds(60)), machines, etcd(null, false), NOW,
        2L), "False", "NotAvailable", "Waiting for etcd to report the list of members");
    assertCondition(ControlPlaneStatus.available(initializedKcp(NOW.minusSeconds(180)), machines, etcd(null, false), NOW,
        2L), "Unknown", "InspectionFailed", "Failed to get etcd members");
    assertCondition(ControlPlaneStatus.available(initializedKcp(NOW.minusSeconds(180)), machines,
        etcd(members("m1", "m9"), false), NOW, 2L), "False", "NotAvailable",
        "The list of etcd members does not match the list of Machines and Nodes");
  }

  @Test
  void availableWithStackedEtcdNeedsQuorumAndOneFullyHealthyMachine() {
    KubeadmControlPlane kcp = initializedKcp(NOW.minusSeconds(600));
    List<EtcdMember> three = members("m1", "m2", "m3");
    assertCondition(ControlPlaneStatus.available(kcp, List.of(stacked("m1", "True", NOW), stacked("m2", "True", NOW),
        stacked("m3", "True", NOW)), etcd(three, true), NOW, 2L), "True", "Available", "");

    // a member unhealthy for 11s shows, one for 5s not yet (flakes)
    assertCondition(ControlPlaneStatus.available(kcp, List.of(stacked("m1", "True", NOW), stacked("m2", "True", NOW),
            stacked("m3", "False", NOW.minusSeconds(11))), etcd(three, true), NOW, 2L), "True", "Available",
        "* 2 of 3 etcd members are healthy, at least 2 healthy member required for etcd quorum\n"
            + "* 2 of 3 Machines have healthy control plane components, at least 1 required");
    assertCondition(ControlPlaneStatus.available(kcp, List.of(stacked("m1", "True", NOW), stacked("m2", "True", NOW),
        stacked("m3", "False", NOW.minusSeconds(5))), etcd(three, true), NOW, 2L), "True", "Available", "");

    assertCondition(ControlPlaneStatus.available(kcp, List.of(stacked("m1", "True", NOW),
            stacked("m2", "False", NOW.minusSeconds(11)), stacked("m3", "False", NOW.minusSeconds(11))),
            etcd(three, true), NOW, 2L), "False", "NotAvailable",
        "* 1 of 3 etcd members is healthy, at least 2 healthy member required for etcd quorum");
  }

  @Test
  void aMemberWithoutNameIsALearnerThatDoesNotCountForQuorum() {
    KubeadmControlPlane kcp = initializedKcp(NOW.minusSeconds(600));
    List<EtcdMember> members = new ArrayList<>(members("m1", "m2", "m3"));
    members.add(new EtcdMember(4, "", false));
    assertCondition(ControlPlaneStatus.available(kcp, List.of(stacked("m1", "True", NOW), stacked("m2", "True", NOW),
            stacked("m3", "False", NOW.minusSeconds(11)), stacked("m4", "False", NOW.minusSeconds(11))),
            etcd(members, true), NOW, 2L), "True", "Available",
        "* 3 of 4 etcd members are healthy, 1 learner etcd member, at least 2 healthy member required for etcd quorum\n"
            + "* 2 of 4 Machines have healthy control plane components, at least 1 required");
  }

  @Test
  void deletingConditionCarriesTheReasonOfTheDeletionPhase() {
    KubeadmControlPlane kcp = kcp(1);
    kcp.getMetadata().setDeletionTimestamp(NOW.toString());
    assertCondition(ControlPlaneStatus.deleting(kcp, new ControlPlaneStatus.Inputs(PreflightResult.PASSED, "", false,
        "WaitingForMachineDeletion", "Deleting 1 Machine", true, "", null, false), 2L), "True", "WaitingForMachineDeletion",
        "Deleting 1 Machine");
  }

  /** Upstream {@code Test_setRemediatingCondition}. */
  @Test
  void remediatingIsTrueWhileMachinesWaitForKcpToRemediateThem() {
    Machine healthy = machine("m0", c("HealthCheckSucceeded", "True", ""));
    assertCondition(ControlPlaneStatus.remediating(List.of(healthy), 2L), "False", "NotRemediating", "");

    Machine deleting = machine("m1", c("HealthCheckSucceeded", "False", "x"),
        c("OwnerRemediated", "False", "Machine is deleting"));
    Machine deferred = machine("m2", c("HealthCheckSucceeded", "False", "x"),
        c("OwnerRemediated", "False", "KubeadmControlPlane waiting for control plane Machine deletion to complete"
            + " before triggering remediation"));
    assertCondition(ControlPlaneStatus.remediating(List.of(healthy, deleting, deferred), 2L), "True", "Remediating",
        "* Machine m1: Machine is deleting\n"
            + "* Machine m2: KubeadmControlPlane waiting for control plane Machine deletion to complete before"
            + " triggering remediation");

    Machine notOwned = machine("m3", c("HealthCheckSucceeded", "False", "x"));
    assertCondition(ControlPlaneStatus.remediating(List.of(healthy, notOwned), 2L), "False", "NotRemediating",
        "Machine m3 is not healthy (not to be remediated by KubeadmControlPlane)");
    Machine alsoNotOwned = machine("m4", c("HealthCheckSucceeded", "False", "x"));
    assertCondition(ControlPlaneStatus.remediating(List.of(notOwned, alsoNotOwned), 2L), "False", "NotRemediating",
        "Machines m3, m4 are not healthy (not to be remediated by KubeadmControlPlane)");
  }

  @Test
  void lastRemediationIsTheOneInProgressElseTheNewestReplacementRemembers() {
    KubeadmControlPlane kcp = kcp(3);
    Machine older = machine("m2");
    older.getMetadata().setAnnotations(Map.of(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION,
        "{\"machine\":\"m0\",\"timestamp\":\"2026-06-01T10:00:00Z\",\"retryCount\":0}"));
    Machine newer = machine("m3");
    newer.getMetadata().setAnnotations(Map.of(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION,
        "{\"machine\":\"m1\",\"timestamp\":\"2026-06-01T11:00:00Z\",\"retryCount\":2}"));
    ControlPlaneStatus.update(kcp, "c1", List.of(older, newer), NOTHING, NOW);
    assertEquals("m1", kcp.getStatus().lastRemediation.machine);
    assertEquals("2026-06-01T11:00:00Z", kcp.getStatus().lastRemediation.time);
    assertEquals(2, kcp.getStatus().lastRemediation.retryCount);

    kcp.getMetadata().setAnnotations(Map.of(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION,
        "{\"machine\":\"m3\",\"timestamp\":\"2026-06-01T11:59:00Z\",\"retryCount\":3}"));
    ControlPlaneStatus.update(kcp, "c1", List.of(older), NOTHING, NOW);
    assertEquals("m3", kcp.getStatus().lastRemediation.machine);
    assertEquals(3, kcp.getStatus().lastRemediation.retryCount);

    KubeadmControlPlane never = kcp(1);
    ControlPlaneStatus.update(never, "c1", List.of(machine("m1")), NOTHING, NOW);
    assertNull(never.getStatus().lastRemediation);
  }

  private static Condition get(KubeadmControlPlane kcp, String type) {
    return Conditions.get(kcp.getStatus().conditions, type).orElseThrow(() -> new AssertionError("no " + type));
  }

  private static void assertCondition(Condition c, String status, String reason, String message) {
    assertEquals(status, c.getStatus(), c.toString());
    assertEquals(reason, c.getReason(), c.toString());
    assertEquals(message, c.getMessage(), c.toString());
  }
}
