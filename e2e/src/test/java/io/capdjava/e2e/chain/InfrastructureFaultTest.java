package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Containers of a running 1 CP + 1 worker cluster lost from outside: the load balancer stopped, then removed (each
 * back on the endpoint's address, the workload API answering through it); then the worker's container removed while a
 * MachineHealthCheck watches the MachineDeployment's Machines (the Machine is replaced and a new Node joins). Nothing
 * is duplicated or orphaned afterwards, and the cluster deletes clean.
 */
@Tag("on-demand")
@Tag("faults")
@ExtendWith(ManagementPlaneExtension.class)
class InfrastructureFaultTest {
  @Test
  void lostLoadBalancerAndWorkerContainersAreReplaced(ManagementPlane plane) throws Exception {
    E2eCluster.create(plane, "infrastructure-faults", "infra", 1, 1).exercise(cluster -> {
      KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
      waitFor("two Ready Nodes", Duration.ofMinutes(5), () -> cluster.readyNodes().size() == 2
          && cluster.machines(false).stream().allMatch(E2eCluster::running) ? Boolean.TRUE : null);
      cluster.log("1 CP + 1 worker Ready");

      Duration stopped = LoadBalancerLoss.stopped(cluster);
      Duration removed = LoadBalancerLoss.removed(cluster);

      cluster.client.resource(KcpRemediation.machineHealthCheck(cluster, cluster.name + "-workers-mhc",
          Map.of("cluster.x-k8s.io/deployment-name", cluster.machineDeploymentName()))).create();
      Machine worker = cluster.machines(false).get(0);
      String node = worker.getStatus().nodeRef.name;
      QuickStartTest.docker("rm", "-f", node);
      Instant lost = Instant.now();
      cluster.log("worker container " + node + " (Machine " + worker.getMetadata().getName() + ") removed");
      List<String> nodes = waitFor("a replacement worker Ready", Duration.ofMinutes(6), () -> {
        List<Machine> workers = cluster.machines(false);
        List<String> ready = cluster.readyNodes();
        return workers.size() == 1 && E2eCluster.running(workers.get(0))
            && !workers.get(0).getMetadata().getName().equals(worker.getMetadata().getName())
            && ready.size() == 2 && cluster.nodes().size() == 2 ? ready : null;
      });
      Duration replaced = Duration.between(lost, Instant.now());
      assertFalse(nodes.contains(node), "the lost Node is gone: " + nodes);
      cluster.log("worker replaced and Ready " + replaced.toSeconds() + " s after its container was removed");
      ClusterConsistency.assertNoDuplicateOrOrphan(cluster);
      System.out.printf("infrastructure-faults: load balancer stopped -> API back %.1f s; removed -> %.1f s;"
          + " worker container removed -> replacement Node Ready %d s%n", stopped.toMillis() / 1000.0,
          removed.toMillis() / 1000.0, replaced.toSeconds());
    });
  }
}
