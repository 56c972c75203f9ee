package io.capdjava.controlplane.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CoreDNS image a KCP asks for, and what upstream refuses, after upstream's {@code getCoreDNSInfo}. */
class CoreDnsUpgradeTest {
  static final String KUBEADM_1_34 = "registry.k8s.io/coredns/coredns:v1.12.1";

  @Test
  void noTagInTheKcpKeepsTheRunningImage() {
    assertEquals(Optional.empty(), new CoreDnsUpgrade("", "", "").plan(KUBEADM_1_34));
    assertEquals(Optional.empty(), new CoreDnsUpgrade("registry.k8s.io", "", "").plan(KUBEADM_1_34));
  }

  @Test
  void aNewerTagMovesTheImageAndTheCorefileBetweenReleases() {
    assertEquals(Optional.of(new CoreDnsUpgrade.Plan(KUBEADM_1_34, "registry.k8s.io/coredns/coredns:v1.13.1",
        "1.12.1", "1.13.1")), new CoreDnsUpgrade("", "", "v1.13.1").plan(KUBEADM_1_34));
  }

  @Test
  void repositoriesComeFromDnsThenTheClusterConfiguration() {
    assertEquals("mirror.example/coredns:v1.12.1",
        new CoreDnsUpgrade("mirror.example/", "", "").plan(KUBEADM_1_34).orElseThrow().toImage());
    assertEquals("dns.example/coredns:v1.12.1",
        new CoreDnsUpgrade("mirror.example", "dns.example/", "").plan(KUBEADM_1_34).orElseThrow().toImage());
    // the name registry.k8s.io gives CoreDNS from 1.8.0 on
    assertEquals("registry.k8s.io/coredns/coredns:v1.11.1",
        new CoreDnsUpgrade("registry.k8s.io", "", "").plan("k8s.gcr.io/coredns:v1.11.1").orElseThrow().toImage());
  }

  @Test
  void downgradesUntaggedImagesAndUnknownReleasesAreRefused() {
    assertEquals("failed to validate CoreDNS: toVersion \"v1.11.3\" must be greater than or equal to fromVersion"
        + " \"v1.12.1\"", assertThrows(IllegalArgumentException.class,
            () -> new CoreDnsUpgrade("", "", "v1.11.3").plan(KUBEADM_1_34)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new CoreDnsUpgrade("", "", "v1.13.1").plan("registry.k8s.io/coredns/coredns")).getMessage()
        .contains("does not have a valid image tag"));
    assertEquals("failed to validate CoreDNS: fromVersion \"1.10.1\" is not a compatible coredns version",
        assertThrows(IllegalArgumentException.class,
            () -> new CoreDnsUpgrade("", "", "v1.12.1").plan("registry.k8s.io/coredns/coredns:v1.10.1")).getMessage());
    assertEquals("error parsing semver from \"latest\"", assertThrows(IllegalArgumentException.class,
        () -> new CoreDnsUpgrade("", "", "latest").plan(KUBEADM_1_34)).getMessage());
  }
}
