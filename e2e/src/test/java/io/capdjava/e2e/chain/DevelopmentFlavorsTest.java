package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstream v1.14's own development flavors, their ClusterClass and templates read unchanged from the Go module
 * sigs.k8s.io/cluster-api/test and rendered by clusterctl: the Dev* kinds (DevCluster, DevMachine, DevMachinePool)
 * with the docker backend bring up a real cluster with our providers and upstream CAPI core; the MachinePool of
 * {@code development-mp} scales 1 → 3 → 0 → 1 through the Cluster's topology; deleting the Cluster leaves nothing.
 *
 * <p>On demand (hack/test-on-demand.sh): in CI, DevKindsTest runs the Dev* kinds on real containers, and
 * QuickStartScriptTest brings up the development-mp flavor.
 */
@Tag("on-demand")
@ExtendWith(ManagementPlaneExtension.class)
class DevelopmentFlavorsTest {
  @Test
  void theDevelopmentFlavorComesUpOnDevClusterAndDevMachines(ManagementPlane plane) throws Exception {
    E2eCluster.fromUpstreamFlavor(plane, "development", "dev", "development", 1, 1).exercise(cluster -> {
      waitFor("two Ready nodes", Duration.ofMinutes(10), () -> cluster.readyNodes().size() == 2 ? true : null);
      cluster.log("nodes Ready");
      DevCluster devCluster = cluster.client.resources(DevCluster.class).inNamespace(cluster.namespace).list()
          .getItems().stream().filter(d -> cluster.name.equals(d.getMetadata().getLabels()
              .get("cluster.x-k8s.io/cluster-name"))).findFirst().orElseThrow();
      assertTrue(Boolean.TRUE.equals(devCluster.getStatus().initialization.provisioned));
      assertTrue(Conditions.isTrue(devCluster.getStatus().conditions, "LoadBalancerAvailable"));
      List<DevMachine> machines = waitFor("two provisioned DevMachines, every condition True", Duration.ofMinutes(2),
          () -> {
            List<DevMachine> all = devMachines(cluster);
            return all.size() == 2 && all.stream().allMatch(m -> m.getStatus() != null
                && List.of("Ready", "ContainerProvisioned", "CGroupsReady", "PreLoadedImagesReady",
                    "BootstrapCompleted").stream().allMatch(t -> Conditions.isTrue(m.getStatus().conditions, t)))
                ? all : null;
          });
      for (DevMachine m : machines) {
        assertTrue(m.getSpec().providerID.startsWith("docker:////" + cluster.name + "-"), m.getSpec().providerID);
      }
      waitFor("the Cluster's Available condition True", Duration.ofMinutes(3), () -> Conditions.isTrue(
          cluster.client.resources(io.capdjava.api.core.v1beta2.Cluster.class).inNamespace(cluster.namespace)
              .withName(cluster.name).get().getStatus().conditions, "Available") ? true : null);
      cluster.log("Cluster Available");
    });
  }

  @Test
  void theDevelopmentMpFlavorsMachinePoolScalesUpToZeroAndBack(ManagementPlane plane) throws Exception {
    E2eCluster.fromUpstreamFlavor(plane, "development-mp", "dmp", "development-mp", 1, 1).exercise(cluster -> {
      waitForPoolNodes(cluster, 1);
      for (int replicas : new int[] {3, 0, 1}) {
        scalePool(cluster, replicas);
        waitForPoolNodes(cluster, replicas);
      }
    });
  }

  /** The MachinePool of a topology is scaled through the Cluster, as upstream's machine-pool spec does. */
  private static void scalePool(E2eCluster cluster, int replicas) {
    cluster.client.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster").inNamespace(cluster.namespace)
        .withName(cluster.name).patch(PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/topology/workers/machinePools/0/replicas\",\"value\":" + replicas
                + "}]");
    cluster.log("MachinePool scaled to " + replicas);
  }

  /** The pool's nodes Ready in the workload cluster, its DevMachinePool ready, and one container per instance. */
  private static void waitForPoolNodes(E2eCluster cluster, int replicas) throws Exception {
    waitFor(replicas + " Ready pool nodes (and the control plane's)", Duration.ofMinutes(4 + 2L * replicas), () -> {
      List<String> nodes = cluster.nodes();
      return nodes.size() == replicas + 1 && cluster.readyNodes().size() == replicas + 1 ? nodes : null;
    });
    GenericKubernetesResource pool = waitFor("the DevMachinePool ready with " + replicas + " replicas",
        Duration.ofMinutes(2), () -> cluster.client.genericKubernetesResources(
            "infrastructure.cluster.x-k8s.io/v1beta2", "DevMachinePool").inNamespace(cluster.namespace).list()
            .getItems().stream().filter(p -> Boolean.TRUE.equals(p.get("status", "ready"))
                && Integer.valueOf(replicas).equals(p.get("status", "replicas"))).findFirst().orElse(null));
    List<?> ids = pool.get("spec", "providerIDList");
    assertEquals(replicas, ids == null ? 0 : ids.size());
    assertEquals(replicas, cluster.containers().stream().filter(c -> c.contains("-worker-")).count(),
        "one container per instance: " + cluster.containers());
    cluster.log(replicas + " pool nodes Ready");
  }

  private static List<DevMachine> devMachines(E2eCluster cluster) {
    return cluster.client.resources(DevMachine.class).inNamespace(cluster.namespace)
        .withLabel("cluster.x-k8s.io/cluster-name", cluster.name).list().getItems();
  }
}
