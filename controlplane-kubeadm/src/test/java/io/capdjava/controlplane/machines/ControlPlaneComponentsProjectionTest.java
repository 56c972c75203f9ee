package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.TestMachines.condition;
import static io.capdjava.controlplane.machines.TestMachines.healthyControlPlaneComponents;
import static io.capdjava.controlplane.machines.TestMachines.machine;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestTargetK8sControlPlaneHealthy}. */
class ControlPlaneComponentsProjectionTest {
  static final Machine M1_HEALTHY = machine("m1-healthy", healthyControlPlaneComponents());
  static final Machine M2_HEALTHY = machine("m2-healthy", healthyControlPlaneComponents());
  static final Machine M2_UNHEALTHY = machine("m2-unhealthy",
      condition(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY, "False"));
  static final Machine M1_UNHEALTHY = machine("m1-unhealthy",
      condition(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY, "False"));

  @Test
  void removingKeepsAtLeastOneHealthySetOfComponents() {
    assertTrue(ControlPlaneComponentsProjection.canSafelyTransition(List.of(M1_HEALTHY, M2_HEALTHY), true, false,
        "m1-healthy"));
    assertFalse(ControlPlaneComponentsProjection.canSafelyTransition(List.of(M1_HEALTHY, M2_UNHEALTHY), true, false,
        "m1-healthy"));
  }

  @Test
  void addingCountsTheNewMachineAsUnhealthyUnlessItIsTheFirst() {
    assertTrue(ControlPlaneComponentsProjection.canSafelyTransition(List.of(), true, true, ""));
    assertTrue(ControlPlaneComponentsProjection.canSafelyTransition(List.of(M1_HEALTHY), true, true, ""));
    assertFalse(ControlPlaneComponentsProjection.canSafelyTransition(List.of(M1_UNHEALTHY), true, true, ""));
  }

  @Test
  void withStackedEtcdTheEtcdPodCounts() {
    Machine etcdPodDown = machine("m", healthyControlPlaneComponents(),
        condition(ControlPlaneConditions.MACHINE_ETCD_POD_HEALTHY, "False"));
    assertFalse(ControlPlaneComponentsProjection.canSafelyTransition(List.of(etcdPodDown), true, false, ""));
    assertTrue(ControlPlaneComponentsProjection.canSafelyTransition(List.of(etcdPodDown), false, false, ""),
        "with external etcd only the Kubernetes components count");
  }
}
