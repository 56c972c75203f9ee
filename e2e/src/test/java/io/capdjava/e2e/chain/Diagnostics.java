package io.capdjava.e2e.chain;

import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a failed end-to-end test leaves for a person to read, under target/e2e-artifacts/<test>/: the YAML of every
 * CAPI object in the namespace (secrets left out: they hold keys), and each node container's kubelet and containerd
 * logs and its docker log.
 */
final class Diagnostics {
  private static final List<String[]> KINDS = List.of(
      new String[] {"cluster.x-k8s.io/v1beta2", "Cluster"},
      new String[] {"cluster.x-k8s.io/v1beta2", "Machine"},
      new String[] {"cluster.x-k8s.io/v1beta2", "MachineSet"},
      new String[] {"cluster.x-k8s.io/v1beta2", "MachineDeployment"},
      new String[] {"infrastructure.cluster.x-k8s.io/v1beta2", "DockerCluster"},
      new String[] {"infrastructure.cluster.x-k8s.io/v1beta2", "DockerMachine"},
      new String[] {"bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfig"},
      new String[] {"controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane"});

  private Diagnostics() {}

  static Path save(String test, KubernetesClient client, String namespace, DockerEngineRuntime runtime, String cluster) {
    Path dir = ClusterManifest.repoRoot().resolve("e2e/target/e2e-artifacts").resolve(test);
    try {
      Files.createDirectories(dir);
      for (String[] kind : KINDS) {
        StringBuilder yaml = new StringBuilder();
        for (GenericKubernetesResource r : client.genericKubernetesResources(kind[0], kind[1]).inNamespace(namespace)
            .list().getItems()) {
          yaml.append(Serialization.asYaml(r));
        }
        Files.writeString(dir.resolve(kind[1] + ".yaml"), yaml.toString());
      }
      for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, cluster))) {
        String logs = runtime.exec(c.name(), List.of("sh", "-c",
            "journalctl --no-pager -u kubelet -u containerd 2>&1 | tail -n 400; crictl ps -a 2>&1"),
            Duration.ofSeconds(30)).output();
        Files.writeString(dir.resolve(c.name() + ".log"), logs, StandardCharsets.UTF_8);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not save all diagnostics to " + dir + ": " + e.getMessage());
    }
    return dir;
  }
}
