package io.capdjava.controlplane.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** kube-proxy's image for a KCP version, as upstream's {@code UpdateKubeProxyImageInfo} computes it. */
class KubeProxyImageTest {
  @Test
  void theVersionBecomesTheTag() {
    assertEquals("registry.k8s.io/kube-proxy:v1.35.4",
        new KubeProxyImage("v1.35.4", "").desired("registry.k8s.io/kube-proxy:v1.34.4"));
    assertEquals("registry.k8s.io/kube-proxy:v1.34.4",
        new KubeProxyImage("v1.34.4", "").desired("registry.k8s.io/kube-proxy:v1.34.4"));
  }

  @Test
  void theClusterConfigurationsRepositoryReplacesTheRunningOne() {
    assertEquals("mirror.example/k8s/kube-proxy:v1.35.4",
        new KubeProxyImage("v1.35.4", "mirror.example/k8s").desired("registry.k8s.io/kube-proxy:v1.34.4"));
  }
}
