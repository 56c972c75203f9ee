package io.capdjava.controlplane.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Image names split and rewritten as upstream's {@code util/container} does. */
class ImageNameTest {
  @Test
  void splitsRepositoryNameTagAndDigest() {
    assertEquals(new ImageName("registry.k8s.io/coredns", "coredns", "v1.12.1", ""),
        ImageName.parse("registry.k8s.io/coredns/coredns:v1.12.1"));
    assertEquals(new ImageName("localhost:5000/k8s", "kube-proxy", "", "sha256:abc"),
        ImageName.parse("localhost:5000/k8s/kube-proxy@sha256:abc"));
    assertEquals(new ImageName("", "busybox", "1", ""), ImageName.parse("busybox:1"));
  }

  @Test
  void retaggingWritesTheVersionAsAnOciTagAndNormalisesTheName() {
    assertEquals("registry.k8s.io/kube-proxy:v1.35.4",
        ImageName.withTag("registry.k8s.io/kube-proxy:v1.34.4", "v1.35.4"));
    assertEquals("registry.k8s.io/kube-proxy:v1.35.0-rc.1_build.2",
        ImageName.withTag("registry.k8s.io/kube-proxy:v1.34.4", "v1.35.0-rc.1+build.2"));
    assertEquals("docker.io/library/kube-proxy:v1.35.4", ImageName.withTag("kube-proxy:old", "v1.35.4"));
    assertEquals("docker.io/me/kube-proxy:v1.35.4", ImageName.withTag("me/kube-proxy", "v1.35.4"));
    assertEquals("image registry.k8s.io/kube-proxy@sha256:abc uses digest as version, cannot update tag",
        assertThrows(IllegalArgumentException.class,
            () -> ImageName.withTag("registry.k8s.io/kube-proxy@sha256:abc", "v1.35.4")).getMessage());
  }

  @Test
  void movingToARepositoryKeepsNameAndTag() {
    assertEquals("mirror.example/k8s/kube-proxy:v1.35.4",
        ImageName.withRepository("registry.k8s.io/kube-proxy:v1.35.4", "mirror.example/k8s/"));
    assertEquals("me/kube-proxy:v1", ImageName.withRepository("registry.k8s.io/kube-proxy:v1", "docker.io/me"));
    assertThrows(IllegalArgumentException.class, () -> ImageName.withRepository("registry.k8s.io/kube-proxy", "x"));
  }
}
