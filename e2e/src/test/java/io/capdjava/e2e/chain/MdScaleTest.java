package io.capdjava.e2e.chain;

import io.capdjava.testenv.Edits;
import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineDeployment;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstream's md-scale spec on real components: a MachineDeployment of one worker grows to three and shrinks back to
 * one; the workload cluster's Nodes and the worker containers follow. On demand (hack/test-on-demand.sh): CI runs
 * upstream's own md-scale spec instead (hack/upstream-e2e.sh, from hack/test.sh).
 */
@Tag("on-demand")
@ExtendWith(ManagementPlaneExtension.class)
class MdScaleTest {
  @Test
  void machineDeploymentScalesFromOneToThreeAndBackWithNodesFollowing(ManagementPlane plane) throws Exception {
    E2eCluster.create(plane, "md-scale", "mds", 1, 1).exercise(cluster -> {
      List<String> one = waitForWorkers(cluster, 1);
      cluster.log("one worker Ready");

      scale(cluster, 3);
      List<String> three = waitForWorkers(cluster, 3);
      cluster.log("three workers Ready");
      assertTrue(three.containsAll(one), "scaling up keeps the first worker");

      scale(cluster, 1);
      List<String> back = waitForWorkers(cluster, 1);
      cluster.log("back to one worker");
      assertTrue(three.containsAll(back), "scaling down keeps one of the workers");
      waitFor("the removed workers' containers to go", Duration.ofMinutes(2), () ->
          cluster.containers().stream().filter(c -> c.contains("-md-0-")).toList().equals(back) ? Boolean.TRUE : null);

    });
  }

  private static void scale(E2eCluster cluster, int replicas) {
    Edits.retryingOnConflict(cluster.client.resources(MachineDeployment.class).inNamespace(cluster.namespace)
        .withName(cluster.machineDeploymentName()), md -> {
          md.getSpec().replicas = replicas;
          return md;
        });
    cluster.log("MachineDeployment scaled to " + replicas);
  }

  /**
   * Waits until the MachineDeployment has exactly {@code replicas} worker Machines, all Running, and the workload
   * cluster exactly their Nodes (plus the control plane's), all Ready; returns the workers' Node names.
   */
  private static List<String> waitForWorkers(E2eCluster cluster, int replicas) throws InterruptedException {
    return waitFor(replicas + " Running workers with Ready Nodes", Duration.ofMinutes(3 + replicas), () -> {
      List<Machine> workers = cluster.machines(false);
      if (workers.size() != replicas || !workers.stream().allMatch(E2eCluster::running)) return null;
      MachineDeployment md = cluster.client.resources(MachineDeployment.class).inNamespace(cluster.namespace)
          .withName(cluster.machineDeploymentName()).get();
      if (md.getStatus() == null || !Integer.valueOf(replicas).equals(md.getStatus().readyReplicas)) return null;
      List<String> workerNodes = workers.stream().map(m -> m.getStatus().nodeRef.name).sorted().toList();
      List<String> controlPlane = cluster.machines(true).stream().map(m -> m.getStatus().nodeRef == null ? ""
          : m.getStatus().nodeRef.name).toList();
      List<String> expected = Stream.concat(workerNodes.stream(), controlPlane.stream()).sorted().toList();
      return cluster.readyNodes().equals(expected) && cluster.nodes().equals(expected) ? workerNodes : null;
    });
  }
}
