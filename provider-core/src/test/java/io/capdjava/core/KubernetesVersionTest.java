package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubernetesVersionTest {
  @Test
  void readsVersionsAsTolerantlyAsUpstream() {
    assertEquals("v1.34.4", KubernetesVersion.parse("v1.34.4").toString());
    assertEquals("v1.34.0", KubernetesVersion.parse("1.34").toString());
    assertEquals("v1.35.0-rc.1+abc", KubernetesVersion.parse(" V1.35.0-rc.1+abc ").toString());
    assertEquals("-rc.1+abc", KubernetesVersion.parse("v1.35.0-rc.1+abc").suffix());
    assertEquals(Optional.empty(), KubernetesVersion.tryParse("latest"));
    var e = assertThrows(IllegalArgumentException.class, () -> KubernetesVersion.parse("latest"));
    assertEquals("\"latest\" is not a Kubernetes version", e.getMessage());
  }

  @Test
  void ordersAsSemverWithPreReleasesBeforeTheirRelease() {
    List<String> sorted = List.of("v1.35.0", "v1.35.0-rc.1", "v1.34.10", "v1.35.0-alpha.2", "v1.34.9").stream()
        .map(KubernetesVersion::parse).sorted().map(KubernetesVersion::toString).toList();
    assertEquals(List.of("v1.34.9", "v1.34.10", "v1.35.0-alpha.2", "v1.35.0-rc.1", "v1.35.0"), sorted);
    assertEquals(0, KubernetesVersion.parse("v1.35.0+a").compareTo(KubernetesVersion.parse("v1.35.0+b")));
  }

  @Test
  void isBeforeIgnoresPreReleasesAsKubeadmsApiVersionChoiceDoes() {
    assertFalse(KubernetesVersion.parse("v1.31.0-rc.1").isBefore(1, 31));
    assertTrue(KubernetesVersion.parse("v1.30.9").isBefore(1, 31));
  }
}
