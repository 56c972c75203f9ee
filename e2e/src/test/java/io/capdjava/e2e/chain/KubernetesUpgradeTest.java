package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.DNS;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Kubernetes version upgrade as a user runs it (upstream's cluster-upgrade spec, on our providers): a 1 CP + 1 worker
 * cluster made at an older release ({@code capd.upgrade.from}, default v1.33.13, its node image built by
 * {@code hack/images.sh node}) is moved to the default release by changing the KubeadmControlPlane's version and
 * CoreDNS tag (as upstream's e2e sets {@code COREDNS_VERSION_UPGRADE_TO}), then the MachineDeployment's version. At
 * the end every node's kubelet, kube-proxy and CoreDNS run the new release's versions, and the workload API answered
 * through the load balancer throughout (the longest outage is printed). On demand: the older release's binaries and
 * node image cost about ten minutes of builds on a cold machine ({@code hack/test-on-demand.sh upgrade}).
 */
@Tag("on-demand")
@ExtendWith(ManagementPlaneExtension.class)
class KubernetesUpgradeTest {
  static final String FROM = System.getProperty("capd.upgrade.from", "v1.33.13");
  static final String TO = E2eCluster.VERSION;

  @Test
  void aClusterIsUpgradedToTheNextMinorWithKubeProxyAndCoreDns(ManagementPlane plane) throws Exception {
    String toCoreDns = coreDnsOfTheDefaultRelease();
    E2eCluster.createAt(plane, "k8s-upgrade", "upg", 1, 1, FROM).exercise(cluster -> {
      KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
      waitFor("two Ready nodes at " + FROM, Duration.ofMinutes(5), () ->
          kubeletVersions(cluster).equals(Map.of(FROM, 2L)) && cluster.readyNodes().size() == 2 ? Boolean.TRUE : null);
      assertEquals("registry.k8s.io/kube-proxy:" + FROM, kubeProxyImage(cluster));
      String fromCoreDns = coreDnsImage(cluster);
      cluster.log("cluster up at " + FROM + " (CoreDNS " + fromCoreDns + ")");

      ApiAvailabilityProbe probe = new ApiAvailabilityProbe(cluster.kubeconfig());
      try {
        cluster.client.resources(KubeadmControlPlane.class).inNamespace(cluster.namespace).withName(cluster.kcpName())
            .edit(k -> {
              k.getSpec().version = TO;
              var configuration = k.getSpec().kubeadmConfigSpec.clusterConfiguration;
              if (configuration.dns == null) configuration.dns = new DNS();
              configuration.dns.imageTag = toCoreDns;
              return k;
            });
        cluster.log("KubeadmControlPlane set to " + TO + ", CoreDNS " + toCoreDns);
        waitFor("the control plane at " + TO + " with kube-proxy and CoreDNS", Duration.ofMinutes(10), () -> {
          KubeadmControlPlane kcp = cluster.kcp();
          boolean rolled = kcp.getStatus() != null && TO.equals(kcp.getStatus().version)
              && Integer.valueOf(1).equals(kcp.getStatus().upToDateReplicas)
              && Integer.valueOf(1).equals(kcp.getStatus().replicas);
          return rolled && ("registry.k8s.io/kube-proxy:" + TO).equals(kubeProxyImage(cluster))
              && coreDnsImage(cluster).endsWith(":" + toCoreDns) ? Boolean.TRUE : null;
        });
        cluster.log("control plane upgraded; kube-proxy and CoreDNS updated");

        cluster.client.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "MachineDeployment")
            .inNamespace(cluster.namespace).withName(cluster.machineDeploymentName())
            .patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"version\":\"" + TO + "\"}}}}");
        cluster.log("MachineDeployment set to " + TO);
        waitFor("every node at " + TO + " and Ready", Duration.ofMinutes(10), () ->
            kubeletVersions(cluster).equals(Map.of(TO, 2L)) && cluster.readyNodes().size() == 2
                && cluster.machines(false).stream().allMatch(E2eCluster::running) ? Boolean.TRUE : null);
        cluster.log("workers upgraded");
        waitFor("the Cluster Available", Duration.ofMinutes(3), () -> Conditions.isTrue(cluster.client
            .resources(io.capdjava.api.core.v1beta2.Cluster.class).inNamespace(cluster.namespace).withName(cluster.name)
            .get().getStatus().conditions, "Available") ? Boolean.TRUE : null);
        assertEquals(2, cluster.containers().size() - 1, "one container per node beside the load balancer, no leftover");
        Deployment coredns = cluster.workload().apps().deployments().inNamespace("kube-system").withName("coredns").get();
        assertEquals("Corefile", coredns.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getItems()
            .get(0).getKey(), "CoreDNS reads the migrated Corefile");
        waitFor("CoreDNS rolled out", Duration.ofMinutes(3), () -> {
          var d = cluster.workload().apps().deployments().inNamespace("kube-system").withName("coredns").get();
          return d.getStatus() != null && d.getStatus().getUpdatedReplicas() != null
              && d.getStatus().getUpdatedReplicas().equals(d.getSpec().getReplicas())
              && d.getSpec().getReplicas().equals(d.getStatus().getAvailableReplicas()) ? Boolean.TRUE : null;
        });
        probe.close();
        assertTrue(probe.longestOutage().compareTo(KcpScaleTest.LONGEST_TOLERATED_OUTAGE) <= 0, probe.summary());
      } finally {
        probe.close();
        System.out.println("k8s-upgrade: workload API during the upgrade " + FROM + " -> " + TO + ": " + probe.summary());
      }
    });
  }

  private static Map<String, Long> kubeletVersions(E2eCluster cluster) {
    return cluster.workload().nodes().list().getItems().stream()
        .collect(Collectors.groupingBy(n -> n.getStatus().getNodeInfo().getKubeletVersion(), Collectors.counting()));
  }

  private static String kubeProxyImage(E2eCluster cluster) {
    DaemonSet ds = cluster.workload().apps().daemonSets().inNamespace("kube-system").withName("kube-proxy").get();
    return ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static String coreDnsImage(E2eCluster cluster) {
    Deployment d = cluster.workload().apps().deployments().inNamespace("kube-system").withName("coredns").get();
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** The CoreDNS release kubeadm of the default Kubernetes release deploys (hack/images.sh checks that they agree). */
  private static String coreDnsOfTheDefaultRelease() throws Exception {
    for (String line : Files.readAllLines(ClusterManifest.repoRoot().resolve("hack/versions.env"))) {
      if (line.startsWith("COREDNS_VERSION=")) return line.substring("COREDNS_VERSION=".length()).strip();
    }
    throw new IllegalStateException("hack/versions.env names no COREDNS_VERSION");
  }
}
