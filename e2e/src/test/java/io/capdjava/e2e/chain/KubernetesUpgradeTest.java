package io.capdjava.e2e.chain;

import io.capdjava.testenv.Edits;
import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.DNS;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kubernetes version upgrades as a user runs them (upstream's cluster-upgrade spec, on our providers): a cluster made
 * at an older release ({@code UPGRADE_FROM_VERSION} of hack/versions.env) is moved to the default release and then to
 * a newer one ({@code UPGRADE_TO_VERSION}), each step by changing the KubeadmControlPlane's version and CoreDNS tag (as
 * upstream's e2e sets {@code COREDNS_VERSION_UPGRADE_TO}), then the MachineDeployment's version. After each step every
 * node's kubelet, kube-proxy and CoreDNS run the images kubeadm of that release deploys, and the workload API answered
 * through the load balancer throughout (the longest outage is printed).
 *
 * <p>Tagged {@code upgrade}: hack/test.sh runs it after the module tests, once the node images of the other releases,
 * built in the background meanwhile, are there. The three control plane variant is on demand.
 */
@Tag("upgrade")
@ExtendWith(ManagementPlaneExtension.class)
class KubernetesUpgradeTest {
  static final String FROM = release("capd.upgrade.from", "UPGRADE_FROM_VERSION");
  static final String DEFAULT = E2eCluster.VERSION;
  static final String NEXT = release("capd.upgrade.to", "UPGRADE_TO_VERSION");
  /** Engine events bring a lost load balancer back at once; the periodic check (60 s) would be far slower. */
  static final Duration LOAD_BALANCER_HEALED_WITHIN = Duration.ofSeconds(20);

  @Test
  void aClusterIsUpgradedThroughThreeReleasesWithKubeProxyAndCoreDns(ManagementPlane plane) throws Exception {
    E2eCluster.createAt(plane, "k8s-upgrade", "upg", 1, 1, FROM).exercise(cluster -> {
      KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
      waitForNodesAt(cluster, FROM, 2);
      KubeadmImages fromImages = KubeadmImages.of(FROM);
      assertEquals(fromImages.kubeProxy(), kubeProxyImage(cluster));
      assertEquals(fromImages.coreDns(), coreDnsImage(cluster));
      cluster.log("cluster up at " + FROM + " (" + fromImages.coreDns() + ")");

      ApiAvailabilityProbe probe = new ApiAvailabilityProbe(cluster.kubeconfig());
      try {
        upgrade(cluster, DEFAULT, 2, true);
        upgrade(cluster, NEXT, 2, true);
        waitFor("the Cluster Available", Duration.ofMinutes(3), () -> available(cluster) ? Boolean.TRUE : null);
        assertEquals(2, cluster.containers().size() - 1, "one container per node beside the load balancer, no leftover");
        probe.close();
        assertTrue(probe.longestOutage().compareTo(KcpScaleTest.LONGEST_TOLERATED_OUTAGE) <= 0, probe.summary());
      } finally {
        probe.close();
        System.out.println("k8s-upgrade: workload API during " + FROM + " -> " + DEFAULT + " -> " + NEXT + ": "
            + probe.summary());
      }
      // the fault suite's load balancer faults (#18), cheap on a cluster that is up anyway: stopped, then removed
      Duration stopped = LoadBalancerLoss.stopped(cluster);
      Duration removed = LoadBalancerLoss.removed(cluster);
      assertTrue(stopped.compareTo(LOAD_BALANCER_HEALED_WITHIN) <= 0, "healed after stop in " + stopped);
      assertTrue(removed.compareTo(LOAD_BALANCER_HEALED_WITHIN) <= 0, "healed after removal in " + removed);
    });
  }

  /** Upstream's cluster-upgrade spec with three control plane Machines: one replaced at a time, etcd quorum kept. */
  @Test
  @Tag("on-demand")
  void threeControlPlaneMachinesAreUpgradedOneAtATime(ManagementPlane plane) throws Exception {
    E2eCluster.createAt(plane, "k8s-upgrade-3cp", "upg3", 3, 0, FROM).exercise(cluster -> {
      KcpScaleTest.waitForHealthyControlPlane(cluster, 3);
      waitForNodesAt(cluster, FROM, 3);
      ApiAvailabilityProbe probe = new ApiAvailabilityProbe(cluster.kubeconfig());
      try {
        upgrade(cluster, DEFAULT, 3, false);
        KcpScaleTest.waitForHealthyControlPlane(cluster, 3);
        waitFor("the Cluster Available", Duration.ofMinutes(3), () -> available(cluster) ? Boolean.TRUE : null);
        assertEquals(3, cluster.containers().size() - 1, "one container per node beside the load balancer, no leftover");
        probe.close();
        assertTrue(probe.longestOutage().compareTo(KcpScaleTest.LONGEST_TOLERATED_OUTAGE) <= 0, probe.summary());
      } finally {
        probe.close();
        System.out.println("k8s-upgrade-3cp: workload API during " + FROM + " -> " + DEFAULT + ": " + probe.summary());
      }
    });
  }

  /**
   * One step: the control plane first (version and CoreDNS tag on the KubeadmControlPlane), then, with
   * {@code workers}, the MachineDeployment; returns once {@code nodes} nodes run {@code version} and are Ready.
   */
  private static void upgrade(E2eCluster cluster, String version, int nodes, boolean workers) throws Exception {
    KubeadmImages images = KubeadmImages.of(version);
    Instant start = Instant.now();
    Edits.retryingOnConflict(cluster.client.resources(KubeadmControlPlane.class).inNamespace(cluster.namespace).withName(cluster.kcpName()), k -> {
          k.getSpec().version = version;
          var configuration = k.getSpec().kubeadmConfigSpec.clusterConfiguration;
          if (configuration.dns == null) configuration.dns = new DNS();
          configuration.dns.imageTag = images.coreDnsTag();
          return k;
        });
    cluster.log("KubeadmControlPlane set to " + version + ", CoreDNS " + images.coreDnsTag());
    int controlPlanes = workers ? nodes - 1 : nodes;
    waitFor("the control plane at " + version + " with kube-proxy and CoreDNS", Duration.ofMinutes(12), () -> {
      KubeadmControlPlane kcp = cluster.kcp();
      boolean rolled = kcp.getStatus() != null && version.equals(kcp.getStatus().version)
          && Integer.valueOf(controlPlanes).equals(kcp.getStatus().upToDateReplicas)
          && Integer.valueOf(controlPlanes).equals(kcp.getStatus().replicas);
      return rolled && images.kubeProxy().equals(kubeProxyImage(cluster)) && images.coreDns().equals(coreDnsImage(cluster))
          ? Boolean.TRUE : null;
    });
    Duration controlPlane = Duration.between(start, Instant.now());
    cluster.log("control plane at " + version + " in " + controlPlane.toSeconds() + " s; kube-proxy and CoreDNS updated");
    if (workers) {
      cluster.client.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "MachineDeployment")
          .inNamespace(cluster.namespace).withName(cluster.machineDeploymentName())
          .patch(PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"template\":{\"spec\":{\"version\":\"" + version + "\"}}}}");
      cluster.log("MachineDeployment set to " + version);
    }
    waitForNodesAt(cluster, version, nodes);
    waitFor("CoreDNS rolled out", Duration.ofMinutes(3), () -> {
      Deployment d = cluster.workload().apps().deployments().inNamespace("kube-system").withName("coredns").get();
      assertEquals("Corefile", d.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getItems().get(0)
          .getKey(), "CoreDNS reads the migrated Corefile");
      return d.getStatus() != null && d.getStatus().getUpdatedReplicas() != null
          && d.getStatus().getUpdatedReplicas().equals(d.getSpec().getReplicas())
          && d.getSpec().getReplicas().equals(d.getStatus().getAvailableReplicas()) ? Boolean.TRUE : null;
    });
    System.out.println(cluster.name + ": upgrade to " + version + ": control plane " + controlPlane.toSeconds()
        + " s, every node " + Duration.between(start, Instant.now()).toSeconds() + " s");
  }

  private static void waitForNodesAt(E2eCluster cluster, String version, int nodes) throws Exception {
    waitFor(nodes + " Ready nodes at " + version, Duration.ofMinutes(10), () ->
        kubeletVersions(cluster).equals(Map.of(version, (long) nodes)) && cluster.readyNodes().size() == nodes
            && cluster.machines(false).stream().allMatch(E2eCluster::running) ? Boolean.TRUE : null);
  }

  private static boolean available(E2eCluster cluster) {
    return Conditions.isTrue(cluster.client.resources(io.capdjava.api.core.v1beta2.Cluster.class)
        .inNamespace(cluster.namespace).withName(cluster.name).get().getStatus().conditions, "Available");
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

  /** A release named by a system property, else by hack/versions.env (the scripts build its node image). */
  private static String release(String property, String key) {
    String value = System.getProperty(property);
    if (value != null && !value.isBlank()) return value;
    try {
      for (String line : Files.readAllLines(ClusterManifest.repoRoot().resolve("hack/versions.env"))) {
        if (line.startsWith(key + "=")) return line.substring(key.length() + 1).strip();
      }
    } catch (IOException e) {
      throw new IllegalStateException("hack/versions.env cannot be read", e);
    }
    throw new IllegalStateException("hack/versions.env names no " + key);
  }

  /** The images kubeadm of a release deploys, as that release's own kubeadm in its node image lists them. */
  record KubeadmImages(String kubeProxy, String coreDns) {
    String coreDnsTag() {
      return coreDns.substring(coreDns.lastIndexOf(':') + 1);
    }

    static KubeadmImages of(String version) throws Exception {
      Process p = new ProcessBuilder("docker", "run", "--rm", "--entrypoint", "/usr/bin/kubeadm",
          "kindest/node:" + version, "config", "images", "list", "--kubernetes-version", version)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kubeadm " + version + " config images list failed:\n" + out);
      }
      List<String> images = out.lines().map(String::strip).toList();
      return new KubeadmImages(only(images, "/kube-proxy:", version), only(images, "/coredns:", version));
    }

    private static String only(List<String> images, String part, String version) {
      return images.stream().filter(i -> i.contains(part)).findFirst().orElseThrow(() ->
          new IllegalStateException("kubeadm " + version + " lists no image with " + part + ": " + images));
    }
  }
}
