package io.capdjava.e2e.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.bootstrap.reconciler.BootstrapTokenSecret;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.capdjava.docker.machine.NodeContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a settled cluster must look like after faults: every DockerMachine and KubeadmConfig belongs to an existing
 * Machine (none orphaned, none twice), exactly one container per Machine besides the load balancer, and in the
 * workload cluster at most one join token per KubeadmConfig, each labelled with the KubeadmConfig it was made for.
 */
final class ClusterConsistency {
  private ClusterConsistency() {}

  static void assertNoDuplicateOrOrphan(E2eCluster cluster) {
    List<Machine> machines = cluster.client.resources(Machine.class).inNamespace(cluster.namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster.name).list().getItems();
    Set<String> machineNames = machines.stream().map(m -> m.getMetadata().getName()).collect(Collectors.toSet());

    List<String> problems = new ArrayList<>();
    List<DockerMachine> dockerMachines = cluster.client.resources(DockerMachine.class).inNamespace(cluster.namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster.name).list().getItems();
    List<KubeadmConfig> configs = cluster.client.resources(KubeadmConfig.class).inNamespace(cluster.namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster.name).list().getItems();
    orphans(dockerMachines, machineNames, problems);
    orphans(configs, machineNames, problems);
    assertEquals(List.of(), problems, "objects without their Machine");
    assertEquals(machines.size(), dockerMachines.size(), "one DockerMachine per Machine");
    assertEquals(machines.size(), configs.size(), "one KubeadmConfig per Machine");

    List<String> expected = new ArrayList<>(List.of(cluster.name + "-lb"));
    for (Machine m : machines) expected.add(NodeContainer.name(cluster.name, m.getMetadata().getName()));
    assertEquals(expected.stream().sorted().toList(), cluster.containers(), "one container per Machine and the LB");

    assertOneJoinTokenPerConfig(cluster);
  }

  /**
   * The same for a cluster of the in-memory backend: every DevMachine and KubeadmConfig belongs to an existing Machine
   * (none orphaned, none twice), the workload cluster has exactly one Node per DevMachine (no container is made), and
   * at most one join token per KubeadmConfig.
   */
  static void assertNoDuplicateOrOrphanInMemory(E2eCluster cluster) {
    List<Machine> machines = cluster.client.resources(Machine.class).inNamespace(cluster.namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster.name).list().getItems();
    Set<String> machineNames = machines.stream().map(m -> m.getMetadata().getName()).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    List<DevMachine> devMachines = cluster.client.resources(DevMachine.class).inNamespace(cluster.namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster.name).list().getItems();
    List<KubeadmConfig> configs = cluster.client.resources(KubeadmConfig.class).inNamespace(cluster.namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster.name).list().getItems();
    orphans(devMachines, machineNames, problems);
    orphans(configs, machineNames, problems);
    assertEquals(List.of(), problems, "objects without their Machine");
    assertEquals(machines.size(), devMachines.size(), "one DevMachine per Machine");
    assertEquals(machines.size(), configs.size(), "one KubeadmConfig per Machine");
    assertEquals(devMachines.stream().map(m -> m.getMetadata().getName()).sorted().toList(), cluster.nodes(),
        "one Node per DevMachine in the workload cluster");
    assertEquals(List.of(), cluster.containers(), "no container");
    assertOneJoinTokenPerConfig(cluster);
  }

  private static void assertOneJoinTokenPerConfig(E2eCluster cluster) {
    List<Secret> tokens = cluster.workload().secrets().inNamespace(Contract.BootstrapToken.NAMESPACE).list().getItems()
        .stream().filter(s -> Contract.BootstrapToken.SECRET_TYPE.equals(s.getType()))
        .filter(s -> ClusterSecrets.data(s, Contract.BootstrapToken.DESCRIPTION_KEY)
            .map(d -> new String(d, StandardCharsets.UTF_8)).filter(Contract.BootstrapToken.DESCRIPTION::equals)
            .isPresent())
        .toList();
    Map<String, Long> perConfig = tokens.stream().collect(Collectors.groupingBy(s -> {
      Map<String, String> labels = s.getMetadata().getLabels();
      return labels == null ? "" : labels.getOrDefault(BootstrapTokenSecret.CONFIG_LABEL, "");
    }, Collectors.counting()));
    assertTrue(!perConfig.containsKey(""), "join tokens no KubeadmConfig was recorded for: " + perConfig);
    assertTrue(perConfig.values().stream().allMatch(n -> n == 1), "one join token per KubeadmConfig: " + perConfig);
  }

  private static void orphans(List<? extends HasMetadata> objects, Set<String> machines, List<String> problems) {
    for (HasMetadata o : objects) {
      boolean owned = o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences().stream()
          .anyMatch(r -> "Machine".equals(r.getKind()) && machines.contains(r.getName()));
      if (!owned) problems.add(o.getKind() + " " + o.getMetadata().getName());
    }
  }
}
