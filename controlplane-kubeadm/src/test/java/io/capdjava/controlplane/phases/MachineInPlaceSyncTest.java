package io.capdjava.controlplane.phases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.controlplane.v1beta2.MachineTaint;
import org.junit.jupiter.api.Test;

/** When a deleting control plane Machine needs the KCP's taints patched. */
class MachineInPlaceSyncTest {
  @Test
  void theKcpsTaintsAreComparedAsASetWithTheMachines() throws Exception {
    // clusterclass-rollout: taints added to or removed from the control plane topology reach the Machines in place
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    MachineTaint always = new MachineTaint();
    always.key = "added-always-taint";
    always.value = "v";
    always.effect = "PreferNoSchedule";
    always.propagation = "Always";
    MachineTaint onInit = new MachineTaint();
    onInit.key = "on-init";
    onInit.effect = "NoSchedule";
    onInit.propagation = "OnInitialization";
    var machine = json.readTree("""
        {"spec":{"taints":[{"key":"on-init","effect":"NoSchedule","propagation":"OnInitialization"}]}}""");
    assertTrue(MachineInPlaceSync.taintsInSync(machine, java.util.List.of(onInit)));
    assertFalse(MachineInPlaceSync.taintsInSync(machine, java.util.List.of(onInit, always)), "a taint added");
    assertFalse(MachineInPlaceSync.taintsInSync(machine, null), "every taint removed");
    assertTrue(MachineInPlaceSync.taintsInSync(json.readTree("{\"spec\":{}}"), java.util.List.of()));
  }
}
