package io.capdjava.controlplane.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kube-proxy and CoreDNS updated in a real API server (the test plane's, standing in for a workload cluster's
 * kube-system) from objects shaped as kubeadm v1.34 makes them: what KCP does once a version upgrade has rolled out.
 */
@ExtendWith(ManagementPlaneExtension.class)
class RemoteWorkloadClusterAddonsTest {
  private static final String NS = "kube-system";
  private KubernetesClient client;
  private WorkloadCluster workload;

  @BeforeEach
  void kubeadmsAddons(ManagementPlane plane) throws Exception {
    client = plane.client();
    workload = new RemoteWorkloadCluster(client, () -> {
      throw new AssertionError("no etcd here");
    });
    removeAddons();
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName(KubeadmConfigMapProbe.NAME).endMetadata()
        .withData(Map.of(RemoteWorkloadCluster.CLUSTER_CONFIGURATION_KEY,
            KubeadmClusterConfigurationUpdateTest.WRITTEN_BY_KUBEADM))
        .build()).create();
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("coredns").endMetadata()
        .withData(Map.of("Corefile", CorefileMigrationTest.resource("kubeadm-1.34.Corefile"), "extra", "kept"))
        .build()).create();
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName("coredns").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("k8s-app", "kube-dns").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("k8s-app", "kube-dns").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("coredns").withImage("registry.k8s.io/coredns/coredns:v1.12.1")
        .addNewVolumeMount().withName("config-volume").withMountPath("/etc/coredns").endVolumeMount().endContainer()
        .addNewVolume().withName("config-volume").withNewConfigMap().withName("coredns")
        .addNewItem().withKey("Corefile").withPath("Corefile").endItem().endConfigMap().endVolume()
        .endSpec().endTemplate().endSpec().build()).create();
    client.apps().daemonSets().inNamespace(NS).resource(new DaemonSetBuilder()
        .withNewMetadata().withName("kube-proxy").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("k8s-app", "kube-proxy").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("k8s-app", "kube-proxy").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("kube-proxy").withImage("registry.k8s.io/kube-proxy:v1.34.4").endContainer()
        .endSpec().endTemplate().endSpec().build()).create();
  }

  @AfterEach
  void removeAddons() {
    client.apps().deployments().inNamespace(NS).withName("coredns").delete();
    client.apps().daemonSets().inNamespace(NS).withName("kube-proxy").delete();
    client.configMaps().inNamespace(NS).withName("coredns").delete();
    client.configMaps().inNamespace(NS).withName(KubeadmConfigMapProbe.NAME).delete();
  }

  @Test
  void kubeProxyFollowsTheVersionOnce() {
    assertTrue(workload.updateKubeProxyImage(new KubeProxyImage("v1.35.4", "")));
    DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName("kube-proxy").get();
    assertEquals("registry.k8s.io/kube-proxy:v1.35.4", ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertFalse(workload.updateKubeProxyImage(new KubeProxyImage("v1.35.4", "")), "nothing left to change");
  }

  @Test
  void coreDnsMovesToTheTagWithItsCorefileMigratedAndTheOldOneKept() throws Exception {
    assertTrue(workload.updateCoreDns(new CoreDnsUpgrade("", "", "v1.13.1")));
    Deployment deployment = client.apps().deployments().inNamespace(NS).withName("coredns").get();
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertEquals("registry.k8s.io/coredns/coredns:v1.13.1", pod.getContainers().get(0).getImage());
    assertEquals("Corefile", pod.getVolumes().get(0).getConfigMap().getItems().get(0).getKey(),
        "the Deployment reads the migrated Corefile again");
    ConfigMap corefile = client.configMaps().inNamespace(NS).withName("coredns").get();
    assertEquals(CorefileMigrationTest.resource("kubeadm-1.34-to-1.13.1.Corefile"), corefile.getData().get("Corefile"));
    assertEquals(CorefileMigrationTest.resource("kubeadm-1.34.Corefile"), corefile.getData().get("Corefile-backup"));
    assertEquals("kept", corefile.getData().get("extra"));
    String clusterConfiguration = client.configMaps().inNamespace(NS).withName(KubeadmConfigMapProbe.NAME).get()
        .getData().get(RemoteWorkloadCluster.CLUSTER_CONFIGURATION_KEY);
    assertEquals(Map.of("imageTag", "v1.13.1"), KubeadmClusterConfigurationUpdateTest.parse(clusterConfiguration).get("dns"));
    assertFalse(workload.updateCoreDns(new CoreDnsUpgrade("", "", "v1.13.1")), "nothing left to change");
  }

  @Test
  void aCoreDnsDowngradeChangesNothing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> workload.updateCoreDns(new CoreDnsUpgrade("", "", "v1.11.3")));
    assertTrue(e.getMessage().contains("must be greater than or equal to"), e.getMessage());
    assertEquals("registry.k8s.io/coredns/coredns:v1.12.1", client.apps().deployments().inNamespace(NS)
        .withName("coredns").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertEquals(null, client.configMaps().inNamespace(NS).withName("coredns").get().getData().get("Corefile-backup"));
  }

  @Test
  void aClusterWithoutTheAddonsIsLeftAlone() {
    removeAddons();
    assertFalse(workload.updateKubeProxyImage(new KubeProxyImage("v1.35.4", "")));
    assertFalse(workload.updateCoreDns(new CoreDnsUpgrade("", "", "v1.13.1")));
  }
}
