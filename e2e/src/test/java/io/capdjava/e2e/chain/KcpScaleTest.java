package io.capdjava.e2e.chain;

import io.capdjava.testenv.Edits;
import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstream's KubeadmControlPlane scale and remediation specs on real components, on one cluster (one cluster instead of
 * two saves CI a three-machine control plane's creation): a control plane of one Machine grows to three; the kubelet
 * of one node stops, CAPI core's MachineHealthCheck hands its Machine over to KCP, KCP replaces it; the control plane
 * shrinks back to one. The etcd members follow the Machines, KCP reports the control plane healthy from the workload
 * cluster (static pods, etcd members), and the workload API stays reachable through the load balancer while scaling:
 * KCP moves etcd leadership away and removes a member only once its Machine is drained, never losing quorum.
 */
@ExtendWith(ManagementPlaneExtension.class)
class KcpScaleTest {
  /** "A few seconds": what a client retrying once or twice would not notice. */
  static final Duration LONGEST_TOLERATED_OUTAGE = Duration.ofSeconds(5);
  /** What CAPI core's Machine Ready waits for (KCP's readiness gates), and Ready itself. */
  static final List<String> MACHINE_CONDITIONS = List.of("Ready", "NodeKubeadmLabelsAndTaintsSet",
      "APIServerPodHealthy", "ControllerManagerPodHealthy", "SchedulerPodHealthy", "EtcdPodHealthy",
      "EtcdMemberHealthy");

  @Test
  void controlPlaneScalesToThreeReplacesAnUnhealthyMachineAndScalesBackWithEtcdFollowingAndTheApiAvailable(
      ManagementPlane plane) throws Exception {
    E2eCluster.create(plane, "kcp-scale", "kcps", 1, 0).exercise(cluster -> {
      List<String> first = waitForHealthyControlPlane(cluster, 1);
      cluster.log("one control plane Machine healthy");
      assertEquals(first, cluster.etcdMembers(first.get(0)));

      List<String> three = withApiProbe(cluster, "scaling up", () -> {
        scale(cluster, 3);
        List<String> up = waitForHealthyControlPlane(cluster, 3);
        cluster.log("three control plane Machines healthy");
        assertEquals(up, cluster.etcdMembers(up.get(0)), "one etcd member per control plane Machine");
        assertTrue(up.containsAll(first), "scaling up keeps the first Machine");
        return up;
      });

      List<String> remediated = KcpRemediation.replaceAMachineWhoseKubeletStopped(cluster, three);

      withApiProbe(cluster, "scaling down", () -> {
        scale(cluster, 1);
        List<String> one = waitForHealthyControlPlane(cluster, 1);
        cluster.log("back to one control plane Machine");
        assertTrue(remediated.containsAll(one));
        assertEquals(one, cluster.etcdMembers(one.get(0)), "the removed Machines' etcd members are gone");
        waitFor("the removed Machines' containers and Nodes to go", Duration.ofMinutes(2), () ->
            cluster.containers().equals(java.util.stream.Stream.of(cluster.name + "-lb", one.get(0)).sorted().toList())
                && cluster.nodes().equals(one)
                ? Boolean.TRUE : null);
        return one;
      });
    });
  }

  /** Runs {@code step} while reading the workload API through the load balancer; it must stay available. */
  private static <T> T withApiProbe(E2eCluster cluster, String what, Callable<T> step) throws Exception {
    ApiAvailabilityProbe probe = new ApiAvailabilityProbe(cluster.kubeconfig());
    try {
      T result = step.call();
      probe.close();
      assertTrue(probe.outcomes().stream().filter(ApiAvailabilityProbe.Outcome::ok).count() > 100,
          "the probe ran: " + probe.summary());
      assertTrue(probe.longestOutage().compareTo(LONGEST_TOLERATED_OUTAGE) <= 0, what + ": " + probe.summary());
      return result;
    } finally {
      probe.close();
      System.out.println("kcp-scale: workload API while " + what + ": " + probe.summary());
    }
  }

  static void scale(E2eCluster cluster, int replicas) {
    Edits.retryingOnConflict(cluster.client.resources(KubeadmControlPlane.class).inNamespace(cluster.namespace).withName(cluster.kcpName()), k -> {
          k.getSpec().replicas = replicas;
          return k;
        });
    cluster.log("KubeadmControlPlane scaled to " + replicas);
  }

  /**
   * Waits until the KCP has exactly {@code replicas} Machines, all Running and Ready with every control plane
   * component and etcd member healthy, and reports itself Available without partial unavailability, its components
   * and etcd healthy; returns the Machines' Node names.
   */
  static List<String> waitForHealthyControlPlane(E2eCluster cluster, int replicas) throws InterruptedException {
    return waitFor(replicas + " healthy control plane Machines", Duration.ofMinutes(4L * replicas), () -> {
      KubeadmControlPlane kcp = cluster.kcp();
      List<Machine> machines = cluster.machines(true);
      boolean settled = machines.size() == replicas && machines.stream().allMatch(E2eCluster::running)
          && machines.stream().allMatch(m -> MACHINE_CONDITIONS.stream()
              .allMatch(type -> Conditions.isTrue(m.getStatus().conditions, type)))
          && kcp.getStatus() != null && Objects.equals(kcp.getStatus().readyReplicas, replicas)
          && Objects.equals(kcp.getStatus().replicas, replicas)
          && Objects.equals(kcp.getStatus().observedGeneration, kcp.getMetadata().getGeneration())
          && Conditions.get(kcp.getStatus().conditions, "Available")
              .filter(c -> "True".equals(c.getStatus()) && c.getMessage().isEmpty()).isPresent()
          && isTrue(kcp, "ControlPlaneComponentsHealthy") && isTrue(kcp, "EtcdClusterHealthy");
      return settled ? machines.stream().map(m -> m.getStatus().nodeRef.name).sorted().toList() : null;
    });
  }

  private static boolean isTrue(KubeadmControlPlane kcp, String type) {
    return Conditions.isTrue(kcp.getStatus().conditions, type);
  }
}
