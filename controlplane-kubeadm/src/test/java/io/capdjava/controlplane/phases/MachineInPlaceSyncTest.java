package io.capdjava.controlplane.phases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
