package io.capdjava.bootstrap.kubeadm;

import io.capdjava.core.KubernetesVersion;
import io.capdjava.core.GoDuration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.bootstrap.v1beta2.Timeouts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The expected strings are upstream's own (bootstrap/kubeadm/pkg/types/utils_test.go, CAPI v1.14.2). */
class KubeadmYamlTest {
  private static final ClusterFacts FACTS =
      new ClusterFacts(null, "mycluster", "myDNSDomain", "myServiceSubnet", "myPodSubnet", 30);

  @Test
  void clusterConfigurationV1beta3AsUpstream() {
    ClusterConfiguration c = new ClusterConfiguration();
    c.controlPlaneEndpoint = "myControlPlaneEndpoint:6443";
    ClusterFacts facts = new ClusterFacts("v1.22.0", "mycluster", "myDNSDomain", "myServiceSubnet", "myPodSubnet", 30);
    assertEquals("apiServer:\n"
            + "  timeoutForControlPlane: 30s\n"
            + "apiVersion: kubeadm.k8s.io/v1beta3\n"
            + "clusterName: mycluster\n"
            + "controlPlaneEndpoint: myControlPlaneEndpoint:6443\n"
            + "controllerManager: {}\n"
            + "dns: {}\n"
            + "etcd: {}\n"
            + "kind: ClusterConfiguration\n"
            + "kubernetesVersion: v1.22.0\n"
            + "networking:\n"
            + "  dnsDomain: myDNSDomain\n"
            + "  podSubnet: myPodSubnet\n"
            + "  serviceSubnet: myServiceSubnet\n"
            + "scheduler: {}\n",
        KubeadmYaml.clusterConfiguration(c, version("1.22.0"), facts));
  }

  @Test
  void clusterConfigurationV1beta4AsUpstream() {
    ClusterConfiguration c = new ClusterConfiguration();
    c.controlPlaneEndpoint = "myControlPlaneEndpoint:6443";
    ClusterFacts facts = new ClusterFacts("v1.31.0", "mycluster", "myDNSDomain", "myServiceSubnet", "myPodSubnet", 30);
    assertEquals("apiServer: {}\n"
            + "apiVersion: kubeadm.k8s.io/v1beta4\n"
            + "clusterName: mycluster\n"
            + "controlPlaneEndpoint: myControlPlaneEndpoint:6443\n"
            + "controllerManager: {}\n"
            + "dns: {}\n"
            + "etcd: {}\n"
            + "kind: ClusterConfiguration\n"
            + "kubernetesVersion: v1.31.0\n"
            + "networking:\n"
            + "  dnsDomain: myDNSDomain\n"
            + "  podSubnet: myPodSubnet\n"
            + "  serviceSubnet: myServiceSubnet\n"
            + "proxy: {}\n"
            + "scheduler: {}\n",
        KubeadmYaml.clusterConfiguration(c, version("1.31.0"), facts));
  }

  @Test
  void initConfigurationAsUpstream() {
    InitConfiguration init = new InitConfiguration();
    init.nodeRegistration = new NodeRegistrationOptions();
    init.nodeRegistration.ignorePreflightErrors = List.of("some-preflight-check");
    assertEquals("apiVersion: kubeadm.k8s.io/v1beta3\n"
            + "kind: InitConfiguration\n"
            + "localAPIEndpoint: {}\n"
            + "nodeRegistration:\n"
            + "  ignorePreflightErrors:\n"
            + "  - some-preflight-check\n"
            + "  taints: null\n",
        KubeadmYaml.initConfiguration(init, version("1.22.0")));
    init.timeouts = new Timeouts();
    init.timeouts.controlPlaneComponentHealthCheckSeconds = 50;
    assertEquals("apiVersion: kubeadm.k8s.io/v1beta4\n"
            + "kind: InitConfiguration\n"
            + "localAPIEndpoint: {}\n"
            + "nodeRegistration:\n"
            + "  ignorePreflightErrors:\n"
            + "  - some-preflight-check\n"
            + "  taints: null\n"
            + "timeouts:\n"
            + "  controlPlaneComponentHealthCheck: 50s\n",
        KubeadmYaml.initConfiguration(init, version("1.31.0")));
  }

  @Test
  void joinConfigurationAsUpstream() {
    JoinConfiguration join = new JoinConfiguration();
    join.nodeRegistration = new NodeRegistrationOptions();
    join.nodeRegistration.ignorePreflightErrors = List.of("some-preflight-check");
    assertEquals("apiVersion: kubeadm.k8s.io/v1beta3\n"
            + "discovery: {}\n"
            + "kind: JoinConfiguration\n"
            + "nodeRegistration:\n"
            + "  ignorePreflightErrors:\n"
            + "  - some-preflight-check\n"
            + "  taints: null\n",
        KubeadmYaml.joinConfiguration(join, version("1.22.0")));
    join.timeouts = new Timeouts();
    join.timeouts.controlPlaneComponentHealthCheckSeconds = 50;
    assertEquals("apiVersion: kubeadm.k8s.io/v1beta4\n"
            + "discovery: {}\n"
            + "kind: JoinConfiguration\n"
            + "nodeRegistration:\n"
            + "  ignorePreflightErrors:\n"
            + "  - some-preflight-check\n"
            + "  taints: null\n"
            + "timeouts:\n"
            + "  controlPlaneComponentHealthCheck: 50s\n",
        KubeadmYaml.joinConfiguration(join, version("1.31.0")));
  }

  @Test
  void versionsSelectTheKubeadmApiAndOldOnesAreRefused() {
    assertEquals(KubeadmApiVersion.V1BETA3, version("v1.30.9"));
    assertEquals(KubeadmApiVersion.V1BETA4, version("v1.31.0-rc.1"));
    assertEquals(KubeadmApiVersion.V1BETA4, version("1.34"));
    var e = assertThrows(KubeadmApiVersion.UnsupportedKubernetesVersionException.class, () -> version("v1.21.14"));
    assertTrue(e.getMessage().contains("lower than v1.22.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KubernetesVersion.parse("latest"));
  }

  @Test
  void durationsAreWrittenAsGoDoes() {
    assertEquals("4m0s", GoDuration.ofSeconds(240));
    assertEquals("30s", GoDuration.ofSeconds(30));
    assertEquals("87600h0m0s", GoDuration.ofSeconds(3650L * 86400));
  }

  private static KubeadmApiVersion version(String v) {
    return KubeadmApiVersion.forKubernetes(KubernetesVersion.parse(v));
  }
}
