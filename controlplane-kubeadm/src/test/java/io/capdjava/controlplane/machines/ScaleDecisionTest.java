package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.TestMachines.START;
import static io.capdjava.controlplane.machines.TestMachines.created;
import static io.capdjava.controlplane.machines.TestMachines.deleting;
import static io.capdjava.controlplane.machines.TestMachines.machine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneRolloutSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneRolloutStrategy;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneRolloutStrategyRollingUpdate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneSpec;
import io.capdjava.api.core.v1beta2.Machine;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Upstream {@code Test_rollingUpdate} (without in-place updates) and the scale switch of {@code reconcile}. */
class ScaleDecisionTest {

  /** {@code current} Machines of which the first {@code upToDate} are up to date, oldest first. */
  static ControlPlaneMachines machines(int current, int upToDate) {
    List<Machine> machines = new ArrayList<>();
    Set<String> outdated = new HashSet<>();
    for (int i = 0; i < current; i++) {
      machines.add(machine("m" + i, created(START.plus(Duration.ofMinutes(i)))));
      if (i >= upToDate) outdated.add("m" + i);
    }
    return new ControlPlaneMachines(machines, outdated, List.of(), true);
  }

  @Test
  void rolloutWithMaxSurgeOneScalesUpFirst() {
    ScaleDecision.Operation op = ScaleDecision.decide(machines(3, 0), 3, 1);
    assertEquals(new ScaleDecision.ScaleUp(true), op);
  }

  @Test
  void rolloutWithMaxSurgeOneScalesDownOnceAtDesiredPlusOne() {
    // 4 Machines, the first is up to date: the oldest outdated one goes
    ScaleDecision.Operation op = ScaleDecision.decide(machines(4, 1), 3, 1);
    ScaleDecision.ScaleDown down = assertInstanceOf(ScaleDecision.ScaleDown.class, op);
    assertEquals("m1", MachineFacts.name(down.machine()));
    assertEquals(true, down.rollout());
  }

  @Test
  void rolloutWithMaxSurgeZeroScalesDownFirst() {
    ScaleDecision.ScaleDown down = assertInstanceOf(ScaleDecision.ScaleDown.class,
        ScaleDecision.decide(machines(3, 0), 3, 0));
    assertEquals("m0", MachineFacts.name(down.machine()));
  }

  @Test
  void rolloutWithMaxSurgeZeroScalesUpWhenBelowDesired() {
    assertEquals(new ScaleDecision.ScaleUp(true), ScaleDecision.decide(machines(2, 0), 3, 0));
  }

  @Test
  void withoutMachinesTheFirstIsInitialized() {
    assertEquals(new ScaleDecision.Initialize(), ScaleDecision.decide(machines(0, 0), 1, 1));
    assertEquals(new ScaleDecision.Initialize(), ScaleDecision.decide(machines(0, 0), 3, 1));
  }

  @Test
  void belowDesiredScalesUpAboveScalesDownAtDesiredIsSteady() {
    assertEquals(new ScaleDecision.ScaleUp(false), ScaleDecision.decide(machines(1, 1), 3, 1));
    ScaleDecision.ScaleDown down = assertInstanceOf(ScaleDecision.ScaleDown.class,
        ScaleDecision.decide(machines(3, 3), 1, 1));
    assertEquals("m0", MachineFacts.name(down.machine()), "the oldest Machine");
    assertEquals(false, down.rollout());
    assertEquals(new ScaleDecision.Steady(), ScaleDecision.decide(machines(3, 3), 3, 1));
  }

  @Test
  void deletingOutdatedMachinesNeedNoFurtherRollout() {
    Machine going = machine("old", deleting(START));
    ControlPlaneMachines cp = new ControlPlaneMachines(List.of(going, machine("a"), machine("b"), machine("c")),
        Set.of("old"), List.of(), true);
    // 4 Machines for 3 desired, none needing rollout: a plain scale down of the oldest non-annotated Machine
    assertInstanceOf(ScaleDecision.ScaleDown.class, ScaleDecision.decide(cp, 3, 1));
    assertEquals(List.of(), cp.machinesNeedingRollout());
  }

  @Test
  void maxSurgeDefaultsToOneAndReadsStringsLikeUpstream() {
    KubeadmControlPlane kcp = new KubeadmControlPlane();
    kcp.setSpec(new KubeadmControlPlaneSpec());
    assertEquals(1, ScaleDecision.maxSurge(kcp));
    kcp.getSpec().rollout = new KubeadmControlPlaneRolloutSpec();
    kcp.getSpec().rollout.strategy = new KubeadmControlPlaneRolloutStrategy();
    kcp.getSpec().rollout.strategy.rollingUpdate = new KubeadmControlPlaneRolloutStrategyRollingUpdate();
    kcp.getSpec().rollout.strategy.rollingUpdate.maxSurge = new IntOrString(0);
    assertEquals(0, ScaleDecision.maxSurge(kcp));
    kcp.getSpec().rollout.strategy.rollingUpdate.maxSurge = new IntOrString("1");
    assertEquals(1, ScaleDecision.maxSurge(kcp));
    kcp.getSpec().rollout.strategy.rollingUpdate.maxSurge = new IntOrString("10%");
    assertEquals(0, ScaleDecision.maxSurge(kcp), "not an integer: 0, as IntOrString.IntValue");
  }
}
