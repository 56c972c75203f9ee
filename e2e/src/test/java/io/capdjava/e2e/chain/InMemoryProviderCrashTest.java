package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-memory backend through provider crashes: each provider, a process of its own, is killed (as by SIGKILL) once
 * at each of its named points while a cluster of upstream's in-memory ClusterClass is created (1 CP + 1 worker), its
 * control plane scaled to three and back to one, and the cluster deleted; a supervisor restarts it a second later.
 * The simulated workload cluster lives in the Docker provider's memory, so each of its restarts loses it: it must come
 * back on the same endpoint with every Node, and KCP must find etcd healthy again, with nothing duplicated or
 * orphaned; machines that were up are not provisioned again (same provider IDs, no new Machine).
 */
@Tag("on-demand")
@Tag("faults")
@ExtendWith(ManagementPlaneExtension.class)
class InMemoryProviderCrashTest {
  static final Map<String, List<String>> CRASH_POINTS = Map.of(
      "docker", List.of("DevCluster/finalizer-added", "in-memory/listener-bound", "DevCluster/reconciled",
          "DevMachine/finalizer-added", "in-memory/vm-provisioned", "in-memory/node-created",
          "in-memory/etcd-member-started", "in-memory/api-server-started", "in-memory/machine-bootstrapped",
          "DevMachine/reconciled", "in-memory/machine-removed", "DevMachine/deleted", "DevCluster/deleted"),
      "bootstrap", ProviderCrashTest.CRASH_POINTS.get("bootstrap"),
      "control-plane", ProviderCrashTest.CRASH_POINTS.get("control-plane"));
  static final int AT_LEAST_REACHED_PER_PROVIDER = 8;

  @Test
  void everyProviderKilledAtEachNamedPointConvergesOnTheSimulatedCluster(ManagementPlane plane) throws Exception {
    Path logs = ClusterManifest.repoRoot().resolve("e2e/target/in-memory-crash");
    Providers providers = Providers.asProcesses(plane, CRASH_POINTS, logs, List.of("--bootstrap-token-ttl", "90s"));
    Instant started = Instant.now();
    E2eCluster cluster = E2eCluster.fromUpstreamInMemoryFlavor(plane, "in-memory-crash", "imcrash", 1, 1, providers);
    try {
      settled(cluster, 1, Duration.ofMinutes(6));
      Map<String, String> providerIds = providerIds(cluster);
      cluster.log("1 CP + 1 worker Available");

      scaleControlPlane(cluster, 3);
      settled(cluster, 3, Duration.ofMinutes(8));
      cluster.log("control plane scaled 1 -> 3");
      Map<String, String> after = providerIds(cluster);
      providerIds.forEach((dm, id) -> assertEquals(id, after.get(dm), "DevMachine " + dm + " kept its provider ID"));

      scaleControlPlane(cluster, 1);
      settled(cluster, 1, Duration.ofMinutes(8));
      cluster.log("control plane scaled 3 -> 1");

      cluster.deleteAndCheckNothingIsLeft();
      cluster.log("deleted");
      for (ProviderProcess p : providers.processes) {
        List<ProviderProcess.Crash> crashes = p.crashes();
        List<ProviderProcess.Exit> exits = p.exits();
        System.out.printf("in-memory-crash: %s killed at %s%n", p.name,
            crashes.stream().map(c -> c.point() + " (" + Duration.between(started, c.at()).toSeconds() + " s)")
                .collect(Collectors.joining(", ")));
        assertTrue(exits.stream().allMatch(e -> e.status() == 137), p.name + " died only at its crash points: " + exits);
        assertEquals(crashes.size(), exits.size(), p.name + ": one exit per crash point reached");
        List<String> armed = CRASH_POINTS.get(p.name);
        assertTrue(crashes.size() >= AT_LEAST_REACHED_PER_PROVIDER, p.name + " killed at "
            + crashes.stream().map(ProviderProcess.Crash::point).toList() + ", not reached: " + armed.stream()
                .filter(a -> crashes.stream().noneMatch(c -> c.point().equals(a))).toList());
      }
    } catch (Throwable t) {
      cluster.saveDiagnostics();
      throw t;
    } finally {
      cluster.close();
    }
  }

  private static void scaleControlPlane(E2eCluster cluster, int replicas) {
    cluster.client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name)
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/topology/controlPlane/replicas\","
            + "\"value\":" + replicas + "}]");
  }

  /**
   * {@code controlPlanes} + 1 Machines Running, their Nodes Ready, KCP's etcd and components healthy and the Cluster
   * Available; then nothing duplicated or orphaned.
   */
  private static void settled(E2eCluster cluster, int controlPlanes, Duration timeout) throws Exception {
    waitFor(controlPlanes + " + 1 machines Running, KCP healthy, the Cluster Available", timeout, () -> {
      List<Machine> cps = cluster.machines(true);
      List<Machine> workers = cluster.machines(false);
      if (cps.size() != controlPlanes || workers.size() != 1) return null;
      if (!cps.stream().allMatch(E2eCluster::running) || !workers.stream().allMatch(E2eCluster::running)) return null;
      try {
        if (cluster.readyNodes().size() != controlPlanes + 1) return null;
      } catch (RuntimeException workloadNotServingYet) {
        return null;
      }
      KubeadmControlPlane kcp = cluster.client.resources(KubeadmControlPlane.class).inNamespace(cluster.namespace)
          .withLabel("cluster.x-k8s.io/cluster-name", cluster.name).list().getItems().stream().findFirst()
          .orElse(null);
      if (kcp == null || kcp.getStatus() == null || !Conditions.isTrue(kcp.getStatus().conditions, "EtcdClusterHealthy")
          || !Conditions.isTrue(kcp.getStatus().conditions, "ControlPlaneComponentsHealthy")) {
        return null;
      }
      Cluster c = cluster.client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name).get();
      return Conditions.isTrue(c.getStatus().conditions, "Available") ? true : null;
    });
    ClusterConsistency.assertNoDuplicateOrOrphanInMemory(cluster);
  }

  private static Map<String, String> providerIds(E2eCluster cluster) {
    return cluster.client.resources(DevMachine.class).inNamespace(cluster.namespace)
        .withLabel("cluster.x-k8s.io/cluster-name", cluster.name).list().getItems().stream()
        .collect(Collectors.toMap(m -> m.getMetadata().getName(), m -> String.valueOf(m.getSpec().providerID)));
  }
}
