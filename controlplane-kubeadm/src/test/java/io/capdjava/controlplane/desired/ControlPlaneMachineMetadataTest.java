package io.capdjava.controlplane.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Upstream {@code format.MustFormatValue}; the hashes were computed with Go's fnv32a and base64.URLEncoding. */
class ControlPlaneMachineMetadataTest {

  @Test
  void validLabelValuesAreKept() {
    assertEquals("my-control-plane", ControlPlaneMachineMetadata.labelValue("my-control-plane"));
  }

  @Test
  void invalidOrLongValuesBecomeUpstreamsHash() {
    assertEquals("hash_e2P3Og_z", ControlPlaneMachineMetadata.labelValue(
        "a-very-long-kubeadm-control-plane-name-that-is-longer-than-sixty-three-characters"));
    assertEquals("hash_DDbXug_z", ControlPlaneMachineMetadata.labelValue("-bad-start"));
  }
}
