package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each provider, running as a process of its own, is killed (as by SIGKILL: no shutdown hook, nothing flushed) once
 * at each of its named crash points while a 1 CP + 1 worker cluster is created, its control plane scaled to three and
 * back to one, and the cluster deleted; a supervisor restarts it a second later, as a Deployment would. The cluster
 * must converge through every kill with nothing duplicated or orphaned (ClusterConsistency), and its deletion must
 * leave nothing behind. Prints each kill and the time each phase took.
 */
@Tag("on-demand")
@Tag("faults")
@ExtendWith(ManagementPlaneExtension.class)
class ProviderCrashTest {
  /** Named points of each provider, in roughly the order a cluster's life reaches them. */
  static final Map<String, List<String>> CRASH_POINTS = Map.of(
      "docker", List.of("DockerCluster/finalizer-added", "docker/load-balancer-created", "DockerCluster/reconciled",
          "DockerMachine/finalizer-added", "DockerMachine/reconciled", "docker/node-container-created",
          "docker/kubeadm-running", "docker/node-bootstrapped", "docker/node-provider-id-set",
          "docker/node-container-removed", "DockerMachine/deleted", "DockerCluster/deleted"),
      "bootstrap", List.of("KubeadmConfig/reconciled", "KubeadmConfig/init-lock-taken",
          "KubeadmConfig/init-data-secret-created", "KubeadmConfig/init-lock-released",
          "KubeadmConfig/join-token-created", "KubeadmConfig/worker-join-spec-recorded",
          "KubeadmConfig/worker-join-data-secret-created", "KubeadmConfig/join-token-extended",
          "KubeadmConfig/control-plane-join-spec-recorded", "KubeadmConfig/control-plane-join-data-secret-created"),
      "control-plane", List.of("KubeadmControlPlane/finalizer-added", "KubeadmControlPlane/certificates-created",
          "KubeadmControlPlane/kubeconfig-created", "KubeadmControlPlane/infra-machine-created",
          "KubeadmControlPlane/kubeadm-config-created", "KubeadmControlPlane/machine-created",
          "KubeadmControlPlane/reconciled", "KubeadmControlPlane/etcd-leader-moved",
          "KubeadmControlPlane/scale-down-machine-deleting", "KubeadmControlPlane/etcd-member-removed",
          "KubeadmControlPlane/deletion-machine-deleting", "KubeadmControlPlane/deleted"));

  /** Points that depend on timing (which etcd member leads, whether a Node joined before a token check). */
  static final int AT_LEAST_REACHED_PER_PROVIDER = 10;

  @Test
  void everyProviderKilledAtEachNamedPointConvergesWithNothingDuplicatedOrLeft(ManagementPlane plane) throws Exception {
    Path logs = ClusterManifest.repoRoot().resolve("e2e/target/provider-crash");
    // a short token lifetime, so that the join tokens are extended (and killed at) while the Nodes join
    Providers providers = Providers.asProcesses(plane, CRASH_POINTS, logs, List.of("--bootstrap-token-ttl", "90s"));
    Instant started = Instant.now();
    E2eCluster cluster = E2eCluster.create(plane, "provider-crash", "crash", 1, 1, providers);
    Map<String, Long> phases = new LinkedHashMap<>();
    try {
      Instant phase = Instant.now();
      KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
      waitFor("the worker's Node Ready", Duration.ofMinutes(5), () -> cluster.readyNodes().size() == 2
          && cluster.machines(false).stream().allMatch(E2eCluster::running) ? Boolean.TRUE : null);
      phases.put("1 CP + 1 worker Available", seconds(phase));
      ClusterConsistency.assertNoDuplicateOrOrphan(cluster);

      phase = Instant.now();
      KcpScaleTest.scale(cluster, 3);
      List<String> three = KcpScaleTest.waitForHealthyControlPlane(cluster, 3);
      assertEquals(three, cluster.etcdMembers(three.get(0)), "one etcd member per control plane Machine");
      phases.put("control plane scaled 1 -> 3", seconds(phase));

      phase = Instant.now();
      KcpScaleTest.scale(cluster, 1);
      List<String> one = KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
      assertEquals(one, cluster.etcdMembers(one.get(0)), "the removed Machines' etcd members are gone");
      waitFor("the removed Machines' containers to go", Duration.ofMinutes(2), () ->
          cluster.containers().size() == 3 ? Boolean.TRUE : null);
      phases.put("control plane scaled 3 -> 1", seconds(phase));
      ClusterConsistency.assertNoDuplicateOrOrphan(cluster);

      phase = Instant.now();
      cluster.deleteAndCheckNothingIsLeft();
      phases.put("cluster deleted, nothing left", seconds(phase));

      report(providers, started, phases);
      for (ProviderProcess p : providers.processes) {
        List<ProviderProcess.Crash> crashes = p.crashes();
        List<ProviderProcess.Exit> exits = p.exits();
        assertTrue(exits.stream().allMatch(e -> e.status() == 137), p.name + " died only at its crash points: " + exits);
        assertEquals(crashes.size(), exits.size(), p.name + ": one exit per crash point reached");
        List<String> armed = CRASH_POINTS.get(p.name);
        assertTrue(crashes.size() >= AT_LEAST_REACHED_PER_PROVIDER, p.name + " killed at "
            + crashes.stream().map(ProviderProcess.Crash::point).toList() + ", not reached: " + armed.stream()
                .filter(a -> crashes.stream().noneMatch(c -> c.point().equals(a))).toList());
      }
    } catch (Throwable t) {
      report(providers, started, phases);
      cluster.saveDiagnostics();
      throw t;
    } finally {
      cluster.close();
    }
  }

  private static void report(Providers providers, Instant started, Map<String, Long> phases) throws Exception {
    List<String> lines = new ArrayList<>();
    for (ProviderProcess p : providers.processes) {
      for (ProviderProcess.Crash c : p.crashes()) {
        lines.add(String.format("provider-crash: %5ds  %-13s killed at %s", Duration.between(started, c.at()).toSeconds(), p.name,
            c.point()));
      }
    }
    lines.sort(null);
    System.out.println(String.join("\n", lines));
    phases.forEach((what, s) -> System.out.printf("provider-crash: %-32s %4d s%n", what, s));
    Stream.of(providers.processes).flatMap(List::stream).forEach(p -> {
      try {
        System.out.printf("provider-crash: %s: %d kills, %d runs%n", p.name, p.crashes().size(), p.exits().size() + 1);
      } catch (Exception e) {
        System.out.println("provider-crash: " + p.name + ": " + e.getMessage());
      }
    });
  }

  private static long seconds(Instant since) {
    return Duration.between(since, Instant.now()).toSeconds();
  }
}
