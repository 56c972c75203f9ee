package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Upstream v1.14's in-memory ClusterClass and cluster template, unchanged from the Go module, with upstream CAPI core,
 * our KCP and CABPK, and the in-memory backend of our docker provider: 3 control plane machines and 5 workers come up
 * and the Cluster is Available (KCP reached the simulated etcd members through port-forwards of the simulated API
 * server), the workers scale down, the version is upgraded (every machine rolled out to the new version, every Node's
 * kubelet reporting it), and deleting the Cluster closes its API server's port. No container is made.
 */
// beside the other classes (e2e junit-platform.properties): no container, mostly waiting on simulated delays
@Execution(ExecutionMode.CONCURRENT)
@ExtendWith(ManagementPlaneExtension.class)
class InMemoryBackendTest {
  @Test
  void upstreamsInMemoryFlavorComesUpScalesUpgradesAndGoes(ManagementPlane plane) throws Exception {
    E2eCluster.fromUpstreamInMemoryFlavor(plane, "in-memory", "inmem", 3, 5).exercise(cluster -> {
      waitForAvailable(cluster, 3, 5, E2eCluster.VERSION, Duration.ofMinutes(6));
      cluster.log("3 control plane machines and 5 workers Running, Cluster Available");
      assertEquals(List.of(), cluster.containers(), "the in-memory backend makes no container");

      DevCluster devCluster = cluster.client.resources(DevCluster.class).inNamespace(cluster.namespace).list()
          .getItems().stream().filter(d -> cluster.name.equals(d.getMetadata().getLabels()
              .get("cluster.x-k8s.io/cluster-name"))).findFirst().orElseThrow();
      String host = devCluster.getSpec().controlPlaneEndpoint.host;
      int port = devCluster.getSpec().controlPlaneEndpoint.port;
      assertEquals("127.0.0.1", host);
      assertTrue(port >= 20000 && port <= 30000, "upstream's port range: " + port);
      // a Machine runs once its VM is provisioned and its Node exists; a joining control plane machine's etcd
      // member and API server come a few seconds later (upstream's order), so its DevMachine's Ready may lag
      List<DevMachine> devMachines = waitFor("every DevMachine Ready", Duration.ofMinutes(1), () -> {
        List<DevMachine> all = cluster.client.resources(DevMachine.class).inNamespace(cluster.namespace)
            .withLabel("cluster.x-k8s.io/cluster-name", cluster.name).list().getItems();
        return all.size() == 8 && all.stream().allMatch(m -> m.getStatus() != null
            && Conditions.isTrue(m.getStatus().conditions, "VMProvisioned")
            && Conditions.isTrue(m.getStatus().conditions, "NodeProvisioned")
            && Conditions.isTrue(m.getStatus().conditions, "Ready")) ? all : null;
      });
      for (DevMachine m : devMachines) {
        assertEquals("in-memory://" + m.getMetadata().getName(), m.getSpec().providerID);
      }
      waitFor("KCP's EtcdClusterHealthy True (it read the etcd members through port-forwards of the workload API"
          + " server)", Duration.ofMinutes(1), () -> {
            KubeadmControlPlane kcp = cluster.client.resources(KubeadmControlPlane.class)
                .inNamespace(cluster.namespace).withLabel("cluster.x-k8s.io/cluster-name", cluster.name).list()
                .getItems().get(0);
            return kcp.getStatus() != null && Conditions.isTrue(kcp.getStatus().conditions, "EtcdClusterHealthy")
                ? true : null;
          });

      patchTopology(cluster, "/spec/topology/workers/machineDeployments/0/replicas", "2");
      waitForAvailable(cluster, 3, 2, E2eCluster.VERSION, Duration.ofMinutes(4));
      cluster.log("workers scaled 5 -> 2");

      String next = KubernetesUpgradeTest.NEXT;
      patchTopology(cluster, "/spec/topology/version", "\"" + next + "\"");
      waitForAvailable(cluster, 3, 2, next, Duration.ofMinutes(10));
      cluster.log("upgraded to " + next);

      // deleted here, while the providers still run: their listener must close because the cluster went
      cluster.deleteAndCheckNothingIsLeft();
      waitFor("the workload API server's port closed", Duration.ofSeconds(30), () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(host, port), 1000);
          return null;
        } catch (IOException refused) {
          return true;
        }
      });
    });
  }

  private static void patchTopology(E2eCluster cluster, String path, String value) {
    cluster.client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name)
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":" + value
            + "}]");
  }

  /**
   * Exactly {@code controlPlanes} + {@code workers} Machines, all Running at {@code version} (none left over or
   * deleting), as many Ready Nodes in the workload cluster whose kubelets report that version, and the Cluster
   * Available.
   */
  private static void waitForAvailable(E2eCluster cluster, int controlPlanes, int workers, String version,
      Duration timeout) throws Exception {
    waitFor(controlPlanes + " + " + workers + " machines Running at " + version + ", their Nodes Ready, the Cluster"
        + " Available", timeout, () -> {
      List<Machine> cps = cluster.machines(true);
      List<Machine> ws = cluster.machines(false);
      if (cps.size() != controlPlanes || ws.size() != workers) return null;
      if (!cps.stream().allMatch(m -> E2eCluster.running(m) && version.equals(m.getSpec().version))) return null;
      if (!ws.stream().allMatch(m -> E2eCluster.running(m) && version.equals(m.getSpec().version))) return null;
      List<Node> nodes = cluster.workload().nodes().list().getItems();
      if (nodes.size() != controlPlanes + workers || !nodes.stream().allMatch(QuickStartTest::ready)) return null;
      if (!nodes.stream().allMatch(n -> version.equals(n.getStatus().getNodeInfo().getKubeletVersion()))) return null;
      Cluster c = cluster.client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name).get();
      return Conditions.isTrue(c.getStatus().conditions, "Available") ? true : null;
    });
  }
}
