package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.RemediationDecisionTest.annotation;
import static io.capdjava.controlplane.machines.RemediationDecisionTest.healthyApiServer;
import static io.capdjava.controlplane.machines.RemediationDecisionTest.healthyEtcdMember;
import static io.capdjava.controlplane.machines.RemediationDecisionTest.m;
import static io.capdjava.controlplane.machines.RemediationDecisionTest.mhcFailed;
import static io.capdjava.controlplane.machines.RemediationDecisionTest.unhealthyApiServer;
import static io.capdjava.controlplane.machines.RemediationDecisionTest.unhealthyEtcdMember;
import static io.capdjava.controlplane.machines.RemediationDecisionTest.withoutNode;
import static io.capdjava.controlplane.machines.TestMachines.condition;
import static io.capdjava.controlplane.machines.TestMachines.created;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestGetMachineToBeRemediated}, and the lower-priority criteria it does not cover. */
class RemediationOrderTest {

  static String first(Machine... machines) {
    // both orders, as upstream's set of Machines has none
    String forward = MachineFacts.name(RemediationOrder.mostBroken(List.of(machines), true).orElseThrow());
    List<Machine> reversed = new java.util.ArrayList<>(List.of(machines));
    java.util.Collections.reverse(reversed);
    assertEquals(forward, MachineFacts.name(RemediationOrder.mostBroken(reversed, true).orElseThrow()));
    return forward;
  }

  @Test
  void returnsTheMachineWithRemediateMachineAnnotationFirst() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), annotation(Contract.Annotation.REMEDIATE_MACHINE, ""));
    Machine m2 = withoutNode("m2-unhealthy", mhcFailed(), unhealthyEtcdMember(), unhealthyApiServer());
    assertEquals("m1-unhealthy", first(m2, m1));
  }

  @Test
  void returnsProvisioningMachinesFirst() {
    // issues on etcd / API server have lower priority than the lack of a Node
    Machine m1 = m("m1-unhealthy", mhcFailed(), unhealthyEtcdMember(), unhealthyApiServer());
    Machine m2 = withoutNode("m2-unhealthy", mhcFailed());
    assertEquals("m2-unhealthy", first(m1, m2));
  }

  @Test
  void returnsTheMachinesWithEtcdErrorsFirstIfThereAreNoProvisioningMachines() {
    // issues on the API server have lower priority than issues on etcd
    Machine m1 = m("m1-unhealthy", mhcFailed(), healthyEtcdMember(), unhealthyApiServer());
    Machine m2 = m("m2-unhealthy", mhcFailed(), unhealthyEtcdMember());
    assertEquals("m2-unhealthy", first(m1, m2));
  }

  @Test
  void returnsTheMachinesWithApiServerErrorsFirstIfThereAreNoProvisioningMachinesAndNoEtcdIssues() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), healthyApiServer());
    Machine m2 = m("m2-unhealthy", mhcFailed(), unhealthyApiServer());
    assertEquals("m2-unhealthy", first(m1, m2));
  }

  @Test
  void returnsTheOldestMachineIfThereAreNoOtherElementsAffectingPriority() {
    Machine m1 = m("m1-unhealthy", mhcFailed());
    Machine m2 = m("m2-unhealthy", mhcFailed());
    assertEquals("m1-unhealthy", first(m1, m2), "same creation time: by name");
    Machine older = m("m3-unhealthy", mhcFailed(), created(Instant.parse("1999-01-01T00:00:00Z")));
    assertEquals("m3-unhealthy", first(m1, older));
  }

  @Test
  void thenControllerManagerSchedulerAndNodeLabelsAndTaints() {
    List<String> types = List.of(ControlPlaneConditions.MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
        ControlPlaneConditions.MACHINE_SCHEDULER_POD_HEALTHY, ControlPlaneConditions.MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET);
    for (String type : types) {
      Machine m1 = m("m1-unhealthy", mhcFailed(), condition(type, "True"));
      Machine m2 = m("m2-unhealthy", mhcFailed(), condition(type, "False"));
      assertEquals("m2-unhealthy", first(m1, m2), type);
    }
  }

  @Test
  void etcdConditionsDoNotCountWithExternalEtcd() {
    Machine m1 = m("m1-unhealthy", mhcFailed(), healthyEtcdMember());
    Machine m2 = m("m2-unhealthy", mhcFailed(), unhealthyEtcdMember());
    assertEquals("m1-unhealthy", MachineFacts.name(RemediationOrder.mostBroken(List.of(m2, m1), false).orElseThrow()));
  }

  @Test
  void candidatesAreMachinesTheHealthCheckHandedOverToKcp() {
    Machine handedOver = m("m1", mhcFailed());
    Machine onlyUnhealthy = m("m2", condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "False"));
    Machine healthy = m("m3", condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "True"));
    assertEquals(List.of("m1"), RemediationOrder.toBeRemediated(List.of(handedOver, onlyUnhealthy, healthy)).stream()
        .map(MachineFacts::name).toList());
  }
}
