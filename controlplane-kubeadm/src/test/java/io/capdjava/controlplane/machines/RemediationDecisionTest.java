package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.TestMachines.condition;
import static io.capdjava.controlplane.machines.TestMachines.created;
import static io.capdjava.controlplane.machines.TestMachines.deleting;
import static io.capdjava.controlplane.machines.TestMachines.machine;
import static io.capdjava.controlplane.machines.TestMachines.withNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneRemediationSpec;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Upstream {@code TestReconcileUnhealthyMachines} (the decisions; the API calls are in the phase and the API server
 * test) and {@code TestReconcileUnhealthyMachinesSequences}. Machines have a Node unless said otherwise, like
 * upstream's {@code createMachine}; {@code mhcFailed()} is {@code withMachineHealthCheckFailed()}.
 */
class RemediationDecisionTest {
  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  static final Duration DEFAULT_MIN_HEALTHY = Duration.ofSeconds(KubeadmControlPlane.DEFAULT_MIN_HEALTHY_PERIOD_SECONDS);

  // ---- machine options, named as upstream's

  static Consumer<Machine> mhcFailed() {
    return m -> {
      condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "False").accept(m);
      condition(Contract.MachineCondition.OWNER_REMEDIATED, "False").accept(m);
    };
  }

  static Consumer<Machine> mhcSucceeded() {
    return condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "True");
  }

  static Consumer<Machine> healthyEtcdMember() {
    return condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "True");
  }

  static Consumer<Machine> unhealthyEtcdMember() {
    return condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "False");
  }

  static Consumer<Machine> healthyK8sControlPlane() {
    return TestMachines.healthyControlPlaneComponents();
  }

  static Consumer<Machine> healthyApiServer() {
    return condition(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY, "True");
  }

  static Consumer<Machine> unhealthyApiServer() {
    return condition(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY, "False");
  }

  static Consumer<Machine> annotation(String key, String value) {
    return m -> {
      if (m.getMetadata().getAnnotations() == null) m.getMetadata().setAnnotations(new HashMap<>());
      m.getMetadata().getAnnotations().put(key, value);
    };
  }

  static Consumer<Machine> remediationFor(RemediationData data) {
    return annotation(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION, data.toJson());
  }

  @SafeVarargs
  static Machine m(String name, Consumer<Machine>... options) {
    List<Consumer<Machine>> all = new ArrayList<>();
    all.add(withNode("node-" + name));
    all.addAll(List.of(options));
    @SuppressWarnings("unchecked")
    Consumer<Machine>[] array = all.toArray(new Consumer[0]);
    return machine(name, array);
  }

  @SafeVarargs
  static Machine withoutNode(String name, Consumer<Machine>... options) {
    return machine(name, options);
  }

  /** A KubeadmControlPlane's situation, as upstream's {@code internal.ControlPlane} in the tests. */
  static final class Scenario {
    List<Machine> machines = List.of();
    boolean initialized;
    Optional<String> inProgress = Optional.empty();
    Optional<String> topology = Optional.empty();
    KubeadmControlPlaneRemediationSpec remediation = new KubeadmControlPlaneRemediationSpec();
    List<EtcdMember> members;
    boolean nodeListFailed;
    boolean etcdManaged = true;

    static Scenario of(Machine... machines) {
      Scenario s = new Scenario();
      s.machines = List.of(machines);
      s.members = etcdMembers(s.machines);
      return s;
    }

    Scenario initialized() {
      initialized = true;
      return this;
    }

    Scenario noEtcdMembers() {
      members = List.of();
      return this;
    }

    RemediationDecision.Outcome decide() {
      return RemediationDecision.decide(new RemediationDecision.Inputs(
          new ControlPlaneMachines(machines, Set.of(), List.of(), etcdManaged), initialized, inProgress, topology,
          RemediationRetryLimits.Settings.of(remediation), members, List.of(), nodeListFailed,
          MachineFacts::nodeName, NOW));
    }
  }

  /** Upstream {@code etcdMembers}: one member per Machine with a Node, named after it. */
  static List<EtcdMember> etcdMembers(List<Machine> machines) {
    List<EtcdMember> members = new ArrayList<>();
    long id = 1;
    for (Machine machine : machines) {
      Optional<String> node = MachineFacts.nodeName(machine);
      if (node.isPresent()) members.add(new EtcdMember(id++, node.get(), false));
    }
    return members;
  }

  static RemediationDecision.Refused refused(RemediationDecision.Outcome outcome, Machine machine, String reason,
      String message) {
    RemediationDecision.Refused r = assertInstanceOf(RemediationDecision.Refused.class, outcome);
    assertEquals(MachineFacts.name(machine), MachineFacts.name(r.machine()));
    assertEquals(reason, r.reason());
    assertEquals(message, r.message());
    return r;
  }

  static RemediationDecision.Remediate remediated(RemediationDecision.Outcome outcome, Machine machine, int retryCount) {
    RemediationDecision.Remediate r = assertInstanceOf(RemediationDecision.Remediate.class, outcome);
    assertEquals(MachineFacts.name(machine), MachineFacts.name(r.machine()));
    assertEquals(MachineFacts.name(machine), r.inProgress().machine());
    assertEquals(Optional.of(NOW), r.inProgress().timestamp());
    assertEquals(retryCount, r.inProgress().retryCount());
    return r;
  }

  // ---- cleanup

  @Test
  void itCleansUpStuckRemediationOnPreviouslyUnhealthyMachines() {
    Machine recovered = m("m1", mhcSucceeded(), condition(Contract.MachineCondition.OWNER_REMEDIATED, "False"));
    Machine stillUnhealthy = m("m2", mhcFailed());
    Machine deletingRecovered = m("m3", mhcSucceeded(), condition(Contract.MachineCondition.OWNER_REMEDIATED, "False"),
        deleting(NOW));
    assertEquals(List.of("m1"), RemediationDecision.recovered(List.of(recovered, stillUnhealthy, deletingRecovered))
        .stream().map(MachineFacts::name).toList());
  }

  @Test
  void remediationInProgressAnnotationIsStaleOnceANewerMachineExists() {
    String oneHourAgo = RemediationData.of("foo", NOW.minus(Duration.ofHours(1)), 0).toJson();
    assertTrue(RemediationDecision.isStale(oneHourAgo, List.of(m("m1-healthy", created(NOW)))));
    String justNow = RemediationData.of("foo", NOW, 0).toJson();
    assertFalse(RemediationDecision.isStale(justNow, List.of(m("m1-healthy", created(NOW.minusSeconds(10))))));
    assertTrue(RemediationDecision.isStale("{\"machine\":\"foo\",\"timestamp\":null,\"retryCount\":0}",
        List.of(m("m1", created(NOW.minusSeconds(10))))), "no timestamp: any Machine is newer");
    assertThrows(IllegalArgumentException.class, () -> RemediationDecision.isStale("not json", List.of()));
  }

  // ---- generic preflight checks (initialized or not)

  @Test
  void remediationDoesNotHappenIfThereAreNoUnhealthyMachines() {
    assertInstanceOf(RemediationDecision.NoRemediation.class, Scenario.of().decide());
    assertInstanceOf(RemediationDecision.NoRemediation.class, Scenario.of(m("m1", healthyEtcdMember())).decide());
    Machine unhealthyNotOwned = m("m2", condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "False"));
    assertInstanceOf(RemediationDecision.NoRemediation.class, Scenario.of(unhealthyNotOwned).decide(),
        "HealthCheckSucceeded=False without OwnerRemediated=False is not for KCP");
  }

  @Test
  void returnsEarlyIfAnotherRemediationIsInProgress() {
    Scenario s = Scenario.of(m("m1-unhealthy", mhcFailed()));
    s.inProgress = Optional.of(RemediationData.of("foo", NOW, 0).toJson());
    RemediationDecision.Outcome outcome = s.decide();
    assertEquals("another remediation is already in progress",
        assertInstanceOf(RemediationDecision.NoRemediation.class, outcome).why());
  }

  @Test
  void returnsEarlyIfTheMachineToBeRemediatedIsAlreadyBeingDeleted() {
    assertInstanceOf(RemediationDecision.NoRemediation.class,
        Scenario.of(m("m1-unhealthy-deleting", mhcFailed(), deleting(NOW))).decide());
  }

  @Test
  void returnsEarlyIfThereIsAPendingTopologyUpgrade() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Scenario s = Scenario.of(m1, m("m2-healthy", healthyEtcdMember()), m("m3-healthy", healthyEtcdMember()))
        .initialized();
    s.topology = Optional.of("v1.20.1");
    refused(s.decide(), m1, "RemediationDeferred",
        "KubeadmControlPlane can't remediate while waiting for a version upgrade to v1.20.1 to be propagated from"
            + " Cluster.spec.topology");
  }

  // ---- retry limits

  @Test
  void remediationDoesNotHappenIfMaxRetryIsReached() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), remediationFor(RemediationData.of("m0",
        NOW.minus(DEFAULT_MIN_HEALTHY.dividedBy(2)), 3)));
    Scenario s = Scenario.of(m1, m("m2-healthy", healthyEtcdMember()), m("m3-healthy", healthyEtcdMember()));
    s.remediation.maxRetry = 3;
    refused(s.decide(), m1, "CannotBeRemediated",
        "KubeadmControlPlane can't remediate this machine because the operation already failed 3 times (MaxRetry)");
  }

  @Test
  void retryHistoryIsIgnoredIfMinHealthyPeriodIsExpiredDefaultMinHealthyPeriod() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), remediationFor(RemediationData.of("m0",
        NOW.minus(DEFAULT_MIN_HEALTHY.multipliedBy(2)), 3)));
    Scenario s = Scenario.of(m1, m("m2-healthy", healthyEtcdMember()), m("m3-healthy", healthyEtcdMember()));
    s.remediation.maxRetry = 3;
    remediated(s.decide(), m1, 0);
  }

  @Test
  void retryHistoryIsIgnoredIfMinHealthyPeriodIsExpired() {
    int minHealthyPeriod = 4 * KubeadmControlPlane.DEFAULT_MIN_HEALTHY_PERIOD_SECONDS;
    Machine m1 = m("m1-unhealthy", mhcFailed(), remediationFor(RemediationData.of("m0",
        NOW.minusSeconds(2L * minHealthyPeriod), 3)));
    Scenario s = Scenario.of(m1, m("m2-healthy", healthyEtcdMember()), m("m3-healthy", healthyEtcdMember()));
    s.remediation.maxRetry = 3;
    s.remediation.minHealthyPeriodSeconds = minHealthyPeriod;
    remediated(s.decide(), m1, 0);
  }

  @Test
  void aRetryWithinTheCustomMinHealthyPeriodCountsAsRetry() {
    int minHealthyPeriod = 4 * KubeadmControlPlane.DEFAULT_MIN_HEALTHY_PERIOD_SECONDS;
    Machine m1 = m("m1-unhealthy", mhcFailed(), remediationFor(RemediationData.of("m0",
        NOW.minus(DEFAULT_MIN_HEALTHY.multipliedBy(2)), 1)));
    Scenario s = Scenario.of(m1);
    s.remediation.minHealthyPeriodSeconds = minHealthyPeriod;
    remediated(s.decide(), m1, 2);
  }

  @Test
  void remediationDoesNotHappenIfRetryPeriodSecondsIsNotYetPassed() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), remediationFor(RemediationData.of("m0",
        NOW.minus(DEFAULT_MIN_HEALTHY.dividedBy(2)), 2)));
    Scenario s = Scenario.of(m1, m("m2-healthy", healthyEtcdMember()), m("m3-healthy", healthyEtcdMember()));
    s.remediation.maxRetry = 3;
    s.remediation.retryPeriodSeconds = KubeadmControlPlane.DEFAULT_MIN_HEALTHY_PERIOD_SECONDS;
    refused(s.decide(), m1, "RemediationDeferred", "KubeadmControlPlane can't remediate this machine because the"
        + " operation already failed in the latest 1h0m0s (RetryPeriodSeconds)");
  }

  @Test
  void aRemediationForAnnotationWithoutTimestampCountsAsLongAgo() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), annotation(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION,
        "{\"machine\":\"m0\",\"timestamp\":null,\"retryCount\":5}"));
    Scenario s = Scenario.of(m1);
    s.remediation.maxRetry = 1;
    remediated(s.decide(), m1, 0);
  }

  @Test
  void aBrokenRemediationForAnnotationFailsTheReconcileAsUpstream() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), annotation(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION, "{"));
    assertThrows(IllegalArgumentException.class, () -> Scenario.of(m1).decide());
  }

  @Test
  void goDurationsAsInUpstreamMessages() {
    assertEquals("1h0m0s", RemediationRetryLimits.goDuration(Duration.ofHours(1)));
    assertEquals("5m30s", RemediationRetryLimits.goDuration(Duration.ofSeconds(330)));
    assertEquals("45s", RemediationRetryLimits.goDuration(Duration.ofSeconds(45)));
    assertEquals("2h0m5s", RemediationRetryLimits.goDuration(Duration.ofSeconds(7205)));
    assertEquals("0s", RemediationRetryLimits.goDuration(Duration.ZERO));
  }

  // ---- preflight checks once the control plane is initialized

  @Test
  void remediationDoesNotHappenIfCurrentReplicasAreLessOrEqualToOne() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    refused(Scenario.of(m1).initialized().decide(), m1, "CannotBeRemediated",
        "KubeadmControlPlane can't remediate if current replicas are less or equal to 1");
  }

  @Test
  void remediationDoesNotHappenIfThereIsAnotherMachineBeingDeleted() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    refused(Scenario.of(m1, m("m2-healthy"), m("m3-deleting", deleting(NOW))).initialized().decide(), m1,
        "RemediationDeferred",
        "KubeadmControlPlane waiting for control plane Machine deletion to complete before triggering remediation");
  }

  @Test
  void remediationDoesNotHappenIfThereIsAHealthyMachineBeingProvisioned() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    refused(Scenario.of(m1, m("m2-healthy"), withoutNode("m3-healthy")).initialized().decide(), m1,
        "RemediationDeferred",
        "KubeadmControlPlane waiting for control plane Machine provisioning to complete before triggering remediation");
  }

  @Test
  void remediationDoesNotHappenIfThereIsAHealthyMachineBeingProvisioned4CpDuring3CpRollingUpgrade() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    refused(Scenario.of(m1, m("m2-healthy"), m("m3-healthy"), withoutNode("m4-healthy")).initialized().decide(), m1,
        "RemediationDeferred",
        "KubeadmControlPlane waiting for control plane Machine provisioning to complete before triggering remediation");
  }

  @Test
  void remediationIsDeferredWhileEtcdMembersAreUnknown() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m3 = m("m3-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    refused(Scenario.of(m1, m2, m3).initialized().noEtcdMembers().decide(), m1, "RemediationDeferred",
        "Failed to check etcd cluster health before remediation");
    Scenario nodesUnknown = Scenario.of(m1, m2, m3).initialized();
    nodesUnknown.nodeListFailed = true;
    refused(nodesUnknown.decide(), m1, "RemediationDeferred", "Failed to check etcd cluster health before remediation");
  }

  @Test
  void remediationDoesNotHappenIfThereIsAtLeastOneAdditionalUnhealthyEtcdMemberOnA3MachineCp() {
    Machine m1 = m("m1-mhc-unhealthy", mhcFailed());
    Scenario s = Scenario.of(m1, m("m2-etcd-unhealthy", unhealthyEtcdMember(), healthyK8sControlPlane()),
        m("m3-etcd-healthy", healthyEtcdMember(), healthyK8sControlPlane())).initialized();
    refused(s.decide(), m1, "CannotBeRemediated", "KubeadmControlPlane can't remediate this Machine because this"
        + " could result in loosing Kubernetes control plane components or in etcd quorum loss");
  }

  @Test
  void remediationDoesNotHappenIfThereAreAtLeastTwoAdditionalUnhealthyEtcdMembersOnA5MachineCp() {
    Machine m1 = m("m1-mhc-unhealthy", mhcFailed());
    Scenario s = Scenario.of(m1, m("m2-etcd-unhealthy", unhealthyEtcdMember(), healthyK8sControlPlane()),
        m("m3-etcd-unhealthy", unhealthyEtcdMember(), healthyK8sControlPlane()),
        m("m4-etcd-healthy", healthyEtcdMember(), healthyK8sControlPlane()),
        m("m5-etcd-healthy", healthyEtcdMember(), healthyK8sControlPlane())).initialized();
    refused(s.decide(), m1, "CannotBeRemediated", "KubeadmControlPlane can't remediate this Machine because this"
        + " could result in loosing Kubernetes control plane components or in etcd quorum loss");
  }

  @Test
  void remediationDoesNotHappenWhenNoOtherMachineKeepsHealthyControlPlaneComponents() {
    Machine m1 = m("m1-mhc-unhealthy", mhcFailed());
    Scenario s = Scenario.of(m1, m("m2-etcd-healthy", healthyEtcdMember()), m("m3-etcd-healthy", healthyEtcdMember()))
        .initialized();
    refused(s.decide(), m1, "CannotBeRemediated", "KubeadmControlPlane can't remediate this Machine because this"
        + " could result in loosing Kubernetes control plane components or in etcd quorum loss");
  }

  // ---- remediation before the control plane is initialized

  @Test
  void remediationDeletesUnhealthyMachine1CpNotInitialized() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    RemediationDecision.Remediate r = remediated(Scenario.of(m1).decide(), m1, 0);
    assertTrue(r.etcdLeaderCandidate().isEmpty(), "no etcd to care about before init");
    Machine neverGotANode = withoutNode("m1-unhealthy", mhcFailed());
    remediated(Scenario.of(neverGotANode).noEtcdMembers().decide(), neverGotANode, 0);
  }

  @Test
  void subsequentRemediationOfTheSameMachineIncreasesRetryCount1CpNotInitialized() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    RemediationData data = remediated(Scenario.of(m1).decide(), m1, 0).inProgress();
    for (int i = 2; i < 4; i++) {
      // the replacement carries the remediation-in-progress as remediation-for, and fails too
      Machine mi = m("m" + i + "-unhealthy", mhcFailed(), remediationFor(data));
      data = remediated(Scenario.of(mi).decide(), mi, i - 1).inProgress();
    }
  }

  // ---- remediation once the control plane is initialized

  @Test
  void remediationDeletesUnhealthyMachine2CpDuring1CpRollingUpgrade() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    RemediationDecision.Remediate r = remediated(Scenario.of(m1, m2).initialized().decide(), m1, 0);
    assertEquals("m2-healthy", MachineFacts.name(r.etcdLeaderCandidate().orElseThrow()));
  }

  @Test
  void remediationDeletesUnhealthyMachine3Cp() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyEtcdMember(), healthyK8sControlPlane(), created(NOW.minusSeconds(20)));
    Machine m3 = m("m3-healthy", healthyEtcdMember(), healthyK8sControlPlane(), created(NOW.minusSeconds(10)));
    RemediationDecision.Remediate r = remediated(Scenario.of(m1, m2, m3).initialized().decide(), m1, 0);
    assertEquals("m3-healthy", MachineFacts.name(r.etcdLeaderCandidate().orElseThrow()),
        "etcd leadership goes to the newest Machine the health check finds healthy");
  }

  @Test
  void remediationDeletesUnhealthyMachineFailedToProvision3Cp() {
    Machine m1 = withoutNode("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m3 = m("m3-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    remediated(Scenario.of(m1, m2, m3).initialized().decide(), m1, 0);
  }

  @Test
  void remediationDeletesUnhealthyMachine4CpDuring3CpRollingUpgrade() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m3 = m("m3-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m4 = m("m4-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    remediated(Scenario.of(m1, m2, m3, m4).initialized().decide(), m1, 0);
  }

  @Test
  void remediationDeletesUnhealthyMachineFailedToProvision4CpDuring3CpRollingUpgrade() {
    Machine m1 = withoutNode("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m3 = m("m3-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m4 = m("m4-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    remediated(Scenario.of(m1, m2, m3, m4).initialized().decide(), m1, 0);
  }

  @Test
  void remediationFailsGracefullyIfNoHealthyControlPlanesAreAvailableToBecomeEtcdLeader() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Scenario s = Scenario.of(m1,
        m("m2-healthy", condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "False"), healthyEtcdMember(),
            healthyK8sControlPlane()),
        m("m3-healthy", condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "False"), healthyEtcdMember(),
            healthyK8sControlPlane()),
        m("m4-healthy", condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "False"), healthyEtcdMember(),
            healthyK8sControlPlane())).initialized();
    refused(s.decide(), m1, "CannotBeRemediated",
        "KubeadmControlPlane can't remediate this Machine because there is no healthy Machine to forward etcd"
            + " leadership to");
  }

  @Test
  void subsequentRemediationOfTheSameMachineIncreasesRetryCount3Cp() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m3 = m("m3-healthy", healthyEtcdMember(), healthyK8sControlPlane());
    RemediationData data = remediated(Scenario.of(m1, m2, m3).initialized().decide(), m1, 0).inProgress();
    for (int i = 5; i < 6; i++) {
      Machine mi = m("m" + i + "-unhealthy", mhcFailed(), remediationFor(data));
      data = remediated(Scenario.of(mi, m2, m3).initialized().decide(), mi, i - 4).inProgress();
    }
  }

  @Test
  void withExternalEtcdOnlyControlPlaneComponentsMatterAndNoLeaderIsForwarded() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-healthy", healthyK8sControlPlane());
    Scenario s = Scenario.of(m1, m2).initialized().noEtcdMembers();
    s.etcdManaged = false;
    RemediationDecision.Remediate r = remediated(s.decide(), m1, 0);
    assertTrue(r.etcdLeaderCandidate().isEmpty());
  }

  // ---- TestReconcileUnhealthyMachinesSequences

  @Test
  void remediatesTheFirstCpMachineHavingProblemsToComeUp() {
    // first CP Machine, not initialized: remediated
    Machine m1 = withoutNode("m1", mhcFailed());
    RemediationData data = remediated(Scenario.of(m1).decide(), m1, 0).inProgress();
    // its replacement fails too: retry count 1
    Machine m2 = withoutNode("m2", mhcFailed(), remediationFor(data), created(NOW.plusSeconds(1)));
    remediated(Scenario.of(m2).decide(), m2, 1);
  }

  @Test
  void remediatesTheSecondCpMachineHavingProblemsToComeUp() {
    Machine m1 = m("m1", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m2 = withoutNode("m2", mhcFailed());
    RemediationData data = remediated(Scenario.of(m1, m2).initialized().decide(), m2, 0).inProgress();
    Machine m3 = withoutNode("m3", mhcFailed(), remediationFor(data));
    remediated(Scenario.of(m1, m3).initialized().decide(), m3, 1);
  }

  @Test
  void remediatesOnlyOneCpMachineInCaseOfMultipleFailures() {
    Machine m1 = m("m1", healthyEtcdMember(), healthyK8sControlPlane());
    Machine m2 = m("m2", mhcFailed(), healthyEtcdMember(), healthyK8sControlPlane());
    Machine m3 = m("m3", mhcFailed(), healthyEtcdMember(), healthyK8sControlPlane());
    // two unhealthy of three: the first goes, the other waits for its replacement
    RemediationDecision.Remediate first = remediated(Scenario.of(m1, m2, m3).initialized().decide(), m2, 0);
    Scenario after = Scenario.of(m1, m("m2", mhcFailed(), deleting(NOW)), m3).initialized();
    after.inProgress = Optional.of(first.inProgress().toJson());
    assertInstanceOf(RemediationDecision.NoRemediation.class, after.decide());
  }
}
