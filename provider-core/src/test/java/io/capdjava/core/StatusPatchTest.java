package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
