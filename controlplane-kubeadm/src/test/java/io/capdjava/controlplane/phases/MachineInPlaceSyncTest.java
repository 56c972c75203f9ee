package io.capdjava.controlplane.phases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.controlplane.v1beta2.MachineTaint;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a control plane object needs the KCP's labels and annotations applied again. */
class MachineInPlaceSyncTest {
  private static HasMetadata object(Map<String, String> labels, Map<String, String> annotations, String appliedLabel) {
    var meta = new ConfigMapBuilder().withNewMetadata().withName("m").withLabels(labels).withAnnotations(annotations);
    if (appliedLabel != null) {
      FieldsV1 fields = new FieldsV1();
      fields.setAdditionalProperty("f:metadata", Map.of("f:labels", Map.of("f:" + appliedLabel, Map.of())));
      meta.addToManagedFields(new ManagedFieldsEntryBuilder().withManager(MachineInPlaceSync.FIELD_MANAGER)
          .withOperation("Apply").withFieldsV1(fields).build());
    }
    return meta.endMetadata().build();
  }

  @Test
  void aNewTemplateLabelOrAnnotationIsMissing() {
    var machine = object(Map.of("cluster.x-k8s.io/cluster-name", "c"), Map.of(), null);
    assertFalse(MachineInPlaceSync.metadataInSync(machine,
        Map.of("cluster.x-k8s.io/cluster-name", "c", "owner.node.cluster.x-k8s.io", "KubeadmControlPlane-cp"), Map.of()));
    assertFalse(MachineInPlaceSync.metadataInSync(machine, Map.of(), Map.of("a", "b")));
    assertTrue(MachineInPlaceSync.metadataInSync(machine, Map.of("cluster.x-k8s.io/cluster-name", "c"), Map.of()));
  }

  @Test
  void aLabelThisManagerAppliedButTheKcpDroppedMustGoWhileOthersStay() {
    var machine = object(Map.of("owner", "x", "set-by-someone-else", "y"), Map.of(), "owner");
    assertFalse(MachineInPlaceSync.metadataInSync(machine, Map.of(), Map.of()));
    assertTrue(MachineInPlaceSync.metadataInSync(machine, Map.of("owner", "x"), Map.of()));
  }

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
