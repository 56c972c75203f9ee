package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DevClusterStatus;
import org.junit.jupiter.api.Test;

class StatusPatchTest {
  @Test
  void sameStatusIsNoUpdateAndAChangedConditionIsAPatch() {
    DockerCluster cluster = new DockerCluster();
    cluster.setStatus(new DevClusterStatus());
    cluster.getStatus().conditions = Conditions.set(null, Conditions.isFalse("Ready", "NotReady", "x", 1L));
    JsonNode before = StatusPatch.snapshot(cluster);

    cluster.getStatus().conditions = Conditions.set(cluster.getStatus().conditions,
        Conditions.isFalse("Ready", "NotReady", "x", 1L));
    assertFalse(StatusPatch.changed(before, cluster), "re-setting the same condition is not a change");
    assertFalse(StatusPatch.ifChanged(before, cluster).isPatchStatus());

    Conditions.set(cluster.getStatus().conditions, Conditions.isTrue("Ready", "Ready", 1L));
    assertTrue(StatusPatch.changed(before, cluster));
    assertTrue(StatusPatch.ifChanged(before, cluster).isPatchStatus());
  }

  @Test
  void theStatusPatchCarriesNoLabelsAnnotationsOrSpec() {
    // applied to the status subresource, they would be co-owned by the provider and outlive the owner dropping them
    DockerCluster cluster = new DockerCluster();
    cluster.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("c").withNamespace("ns")
        .addToLabels("topology-label", "v").addToAnnotations("topology-annotation", "v")
        .addToFinalizers("f").withResourceVersion("7").build());
    cluster.setSpec(new io.capdjava.api.infrastructure.v1beta2.DockerClusterSpec());
    cluster.setStatus(new DevClusterStatus());
    JsonNode before = StatusPatch.snapshot(cluster);
    cluster.getStatus().conditions = Conditions.set(null, Conditions.isTrue("Ready", "Ready", 1L));

    DockerCluster patched = StatusPatch.ifChanged(before, cluster).getResource().orElseThrow();
    assertEquals("c", patched.getMetadata().getName());
    assertEquals("ns", patched.getMetadata().getNamespace());
    assertTrue(patched.getMetadata().getLabels() == null || patched.getMetadata().getLabels().isEmpty());
    assertTrue(patched.getMetadata().getAnnotations() == null || patched.getMetadata().getAnnotations().isEmpty());
    assertTrue(patched.getMetadata().getFinalizers() == null || patched.getMetadata().getFinalizers().isEmpty());
    assertNull(patched.getSpec());
    assertEquals("Ready", patched.getStatus().conditions.get(0).getType());
    assertEquals("v", cluster.getMetadata().getLabels().get("topology-label"), "the reconciled object is untouched");
  }
}
