package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.TestMachines.START;
import static io.capdjava.controlplane.machines.TestMachines.annotated;
import static io.capdjava.controlplane.machines.TestMachines.condition;
import static io.capdjava.controlplane.machines.TestMachines.created;
import static io.capdjava.controlplane.machines.TestMachines.fd;
import static io.capdjava.controlplane.machines.TestMachines.inFailureDomain;
import static io.capdjava.controlplane.machines.TestMachines.machine;
import static io.capdjava.controlplane.machines.TestMachines.withNode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream {@code TestSelectMachineForInPlaceUpdateOrScaleDown}, same Machines, same expectations. */
class ScaleDownSelectionTest {
  static final String DELETE = Contract.Annotation.DELETE_MACHINE;
  static final Machine M1 = machine("machine-1", inFailureDomain("one"), created(hours(1)), withNode("machine-1"));
  static final Machine M2 = machine("machine-2", inFailureDomain("one"), created(hours(-3)), withNode("machine-2"));
  static final Machine M3 = machine("machine-3", inFailureDomain("one"), created(hours(-4)), withNode("machine-3"));
  static final Machine M4 = machine("machine-4", inFailureDomain("two"), created(hours(-1)), withNode("machine-4"));
  static final Machine M5 = machine("machine-5", inFailureDomain("two"), created(hours(-2)), withNode("machine-5"));
  static final Machine M6 = machine("machine-6", inFailureDomain("two"), created(hours(-7)), withNode("machine-6"));
  static final Machine M7 = machine("machine-7", inFailureDomain("two"), created(hours(-5)), annotated(DELETE),
      withNode("machine-7"));
  static final Machine M8 = machine("machine-8", inFailureDomain("two"), created(hours(-6)), annotated(DELETE),
      withNode("machine-8"));
  static final Machine M9 = machine("machine-9", inFailureDomain("two"), created(hours(-5)), withNode("machine-9"));
  static final Machine M10 = machine("machine-10", inFailureDomain("two"), created(hours(-4)), withNode("machine-10"),
      condition(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY, "False"));
  static final Machine M11 = machine("machine-11", inFailureDomain("two"), created(hours(-3)), withNode("machine-11"),
      condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "False"));

  static final List<FailureDomain> FDS = List.of(fd("one"), fd("two"));
  static final List<Machine> NEEDS_UPGRADE = List.of(M1, M2, M3, M4, M5);
  static final List<Machine> NEEDS_UPGRADE_1 = List.of(M9, M10, M11);
  static final List<Machine> UP_TO_DATE = List.of(M1, M2, M3, M4);
  static final List<Machine> ANNOTATED = List.of(M6, M7, M8);

  static java.time.Instant hours(int h) {
    return START.plus(Duration.ofHours(h));
  }

  static Stream<Arguments> selection() {
    return Stream.of(
        Arguments.of("outdated machines: oldest in the failure domain with most machines needing upgrade",
            NEEDS_UPGRADE, List.of(M5), "machine-5"),
        Arguments.of("no outdated machines: oldest in the largest failure domain", UP_TO_DATE, List.of(), "machine-3"),
        Arguments.of("one machine with the delete annotation among the outdated ones", ANNOTATED, List.of(M6, M7),
            "machine-7"),
        Arguments.of("several annotated machines: the oldest annotated one", ANNOTATED, List.of(M7, M8), "machine-8"),
        Arguments.of("annotated machines that are not outdated still go first", ANNOTATED, List.of(), "machine-8"),
        Arguments.of("outdated annotated machine outside the control plane list", NEEDS_UPGRADE, List.of(M7, M3),
            "machine-7"),
        Arguments.of("up-to-date annotated machine goes before outdated ones", UP_TO_DATE,
            List.of(M5, M3, M8, M7, M6, M1, M2), "machine-8"),
        Arguments.of("outdated machine with an unhealthy API server goes first", NEEDS_UPGRADE_1, List.of(M9, M10),
            "machine-10"),
        Arguments.of("oldest outdated machine with unhealthy components (API server, etcd member)", NEEDS_UPGRADE_1,
            List.of(M9, M10, M11), "machine-10"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void selection(String name, List<Machine> machines, List<Machine> outdated, String expected) {
    ControlPlaneMachines controlPlane = new ControlPlaneMachines(machines, Set.of(), FDS, true);
    assertEquals(expected, ScaleDownSelection.select(controlPlane, outdated).map(MachineFacts::name).orElse(null));
  }

  @Test
  void withoutFailureDomainsTheOldestMachineGoes() {
    Machine older = machine("older", created(hours(-2)));
    Machine newer = machine("newer", created(hours(-1)));
    ControlPlaneMachines controlPlane = new ControlPlaneMachines(List.of(newer, older), Set.of(), List.of(), true);
    assertEquals("older", ScaleDownSelection.select(controlPlane, List.of()).map(MachineFacts::name).orElseThrow());
  }

  @Test
  void aMachineOutsideTheKnownFailureDomainsGoesFirst() {
    Machine stray = machine("stray", inFailureDomain("removed"), created(hours(5)));
    ControlPlaneMachines controlPlane = new ControlPlaneMachines(List.of(M1, M2, M3, stray), Set.of(), FDS, true);
    assertEquals("stray", ScaleDownSelection.select(controlPlane, List.of()).map(MachineFacts::name).orElseThrow());
  }

  @Test
  void equalCreationTimesAreOrderedByName() {
    Machine b = machine("b", created(START));
    Machine a = machine("a", created(START));
    ControlPlaneMachines controlPlane = new ControlPlaneMachines(List.of(b, a), Set.of(), List.of(), true);
    assertEquals("a", ScaleDownSelection.select(controlPlane, List.of()).map(MachineFacts::name).orElseThrow());
  }
}
