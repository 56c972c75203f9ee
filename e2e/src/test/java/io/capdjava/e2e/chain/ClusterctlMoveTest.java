package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.run;
import static io.capdjava.e2e.chain.QuickStartTest.tool;
import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.core.Conditions;
import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.capdjava.testenv.SecondPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code clusterctl move} of a running cluster from one management plane to another and back, with our providers
 * running on both: the source side must release the objects without touching a container, the target side must adopt
 * the containers (no new one, no second bootstrap), the workload API stays served, and the cluster, deleted where it
 * ended up, leaves nothing.
 */
@ExtendWith(ManagementPlaneExtension.class)
class ClusterctlMoveTest {
  private static final Duration LONGEST_TOLERATED_OUTAGE = Duration.ofSeconds(5);

  @Test
  void aRunningClusterMovesToAnotherPlaneAndBackKeepingItsContainers(ManagementPlane first) throws Exception {
    try (SecondPlane second = SecondPlane.start("move")) {
      labelCrdsAsClusterctlDoes(first.client());
      labelCrdsAsClusterctlDoes(second.client());
      ManagementPlane target = second.in(first.namespace());
      E2eCluster.create(first, "clusterctl-move", "mv", 1, 1).exercise(cluster -> {
        try (Providers targetProviders = new Providers(target.client(), target.namespace())) {
          waitForAvailable(first.client(), cluster);
          Map<String, String> containers = containerIds(cluster);
          assertEquals(3, containers.size(), "load balancer, control plane node, worker: " + containers);
          cluster.log("Available with " + containers.keySet());

          List<String> provisionedBeforeTheMoves = provisioningEvents(first.client(), cluster);
          assertEquals(4, provisionedBeforeTheMoves.size(), "two containers created, two bootstraps: "
              + provisionedBeforeTheMoves);
          ApiAvailabilityProbe probe = new ApiAvailabilityProbe(cluster.kubeconfig());
          try {
            move(cluster, first, target);
            waitForAvailable(target.client(), cluster);
            waitForMachinesReady(target.client(), cluster);
            assertEquals(containers, containerIds(cluster), "the move created, replaced or removed no container");
            assertEquals(List.of(), first.client().resources(Cluster.class).inNamespace(first.namespace()).list()
                .getItems(), "nothing of the cluster is left on the source");
            cluster.log("moved to the second plane");

            move(cluster, target, first);
            waitForAvailable(first.client(), cluster);
            waitForMachinesReady(first.client(), cluster);
            assertEquals(containers, containerIds(cluster), "moving back changed no container either");
            cluster.log("moved back");
            assertTrue(probe.outcomes().stream().filter(ApiAvailabilityProbe.Outcome::ok).count() > 30,
                "the probe ran: " + probe.summary());
            assertTrue(probe.longestOutage().compareTo(LONGEST_TOLERATED_OUTAGE) <= 0, probe.summary());
          } finally {
            probe.close();
            System.out.println("clusterctl-move: workload API during the moves: " + probe.summary());
          }
          // our providers report each container they create and each bootstrap they run as an Event
          assertEquals(List.of(), provisioningEvents(target.client(), cluster),
              "the target created and bootstrapped nothing");
          assertEquals(provisionedBeforeTheMoves, provisioningEvents(first.client(), cluster),
              "nothing was created or bootstrapped again after moving back");
        }
      });
    }
  }

  /** What clusterctl init does to the CRDs it installs, and what move discovers objects by. */
  private static void labelCrdsAsClusterctlDoes(KubernetesClient client) {
    for (var crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      if (!crd.getSpec().getGroup().endsWith("cluster.x-k8s.io")) continue;
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).edit(c -> {
        c.getMetadata().getLabels().put("clusterctl.cluster.x-k8s.io", "");
        return c;
      });
    }
  }

  private static void move(E2eCluster cluster, ManagementPlane from, ManagementPlane to) throws Exception {
    run(tool("clusterctl"), "move", "--kubeconfig", from.kubeconfig().toString(), "--to-kubeconfig",
        to.kubeconfig().toString(), "--namespace", from.namespace());
    cluster.log("clusterctl move done");
  }

  private static void waitForAvailable(KubernetesClient client, E2eCluster cluster) throws InterruptedException {
    waitFor("Cluster " + cluster.name + " Available", Duration.ofMinutes(8), () -> {
      Cluster c = client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name).get();
      return c != null && c.getStatus() != null && Conditions.isTrue(c.getStatus().conditions, "Available")
          && !Boolean.TRUE.equals(c.getSpec().paused) ? Boolean.TRUE : null;
    });
  }

  private static void waitForMachinesReady(KubernetesClient client, E2eCluster cluster) throws InterruptedException {
    waitFor("both DockerMachines Ready and provisioned", Duration.ofMinutes(3), () -> {
      List<DockerMachine> machines = client.resources(DockerMachine.class).inNamespace(cluster.namespace)
          .withLabel("cluster.x-k8s.io/cluster-name", cluster.name).list().getItems();
      return machines.size() == 2 && machines.stream().allMatch(m -> m.getStatus() != null
          && Conditions.isTrue(m.getStatus().conditions, "Ready") && m.getStatus().initialization != null
          && Boolean.TRUE.equals(m.getStatus().initialization.provisioned)) ? Boolean.TRUE : null;
    });
  }

  /** The ContainerCreated and BootstrapSucceeded events of the cluster's DockerMachines, as "reason object". */
  private static List<String> provisioningEvents(KubernetesClient client, E2eCluster cluster) {
    return client.v1().events().inNamespace(cluster.namespace).list().getItems().stream()
        .filter(e -> "DockerMachine".equals(e.getInvolvedObject().getKind()))
        .filter(e -> List.of("ContainerCreated", "BootstrapSucceeded").contains(e.getReason()))
        .map(e -> e.getReason() + " " + e.getInvolvedObject().getName()).sorted().toList();
  }

  private static Map<String, String> containerIds(E2eCluster cluster) {
    Map<String, String> ids = new TreeMap<>();
    for (ContainerInfo c : cluster.providers.runtime.list(Map.of(Labels.CLUSTER, cluster.name))) {
      assertTrue(c.running(), c.name() + " runs");
      ids.put(c.name(), c.id());
    }
    return ids;
  }
}
