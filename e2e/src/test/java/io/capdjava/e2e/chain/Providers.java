package io.capdjava.e2e.chain;

import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneProviderMain;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.capdjava.testenv.ManagementPlane;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Our three providers against the management plane, watching one namespace: running in the test's JVM, or as
 * processes of their own ({@link #asProcesses}), which a fault test can kill.
 */
final class Providers implements AutoCloseable {
  final DockerEngineRuntime runtime;
  private final ProviderManager docker;
  private final ProviderManager bootstrap;
  private final ProviderManager controlPlane;
  /** The providers as processes (docker, bootstrap, control plane); empty when they run in this JVM. */
  final List<ProviderProcess> processes;

  Providers(KubernetesClient client, String namespace) {
    this(client, ManagerOptions.embedded(namespace, 10), client, ManagerOptions.embedded(namespace, 10), client,
        ManagerOptions.embedded(namespace, 10));
  }

  /** Each provider with a client (one impersonating its service account, say) and manager options of its own. */
  Providers(KubernetesClient dockerClient, ManagerOptions dockerOptions, KubernetesClient bootstrapClient,
      ManagerOptions bootstrapOptions, KubernetesClient controlPlaneClient, ManagerOptions controlPlaneOptions) {
    runtime = DockerEngineRuntime.connect();
    docker = DockerProviderMain.start(dockerClient, runtime, SecurityProfiles.choose("auto", runtime), dockerOptions);
    bootstrap = BootstrapProviderMain.start(bootstrapClient, bootstrapOptions, Duration.ofMinutes(15));
    controlPlane = ControlPlaneProviderMain.start(controlPlaneClient, controlPlaneOptions);
    processes = List.of();
  }

  private Providers(List<ProviderProcess> processes) {
    runtime = DockerEngineRuntime.connect();
    docker = null;
    bootstrap = null;
    controlPlane = null;
    this.processes = processes;
  }

  /**
   * The three providers as supervised processes of their own (no probes, no metrics listener), each killing itself
   * once at each of its crash points ({@code crashPoints} by provider: docker, bootstrap, control-plane).
   */
  static Providers asProcesses(ManagementPlane plane, Map<String, List<String>> crashPoints, Path logs,
      List<String> bootstrapFlags) throws IOException {
    List<String> common = List.of("--namespace", plane.namespace(), "--health-addr", "0", "--diagnostics-address", "0");
    List<ProviderProcess> started = new ArrayList<>();
    try {
      started.add(new ProviderProcess("docker", DockerProviderMain.class.getName(), common, plane.kubeconfig(),
          crashPoints.getOrDefault("docker", List.of()), logs));
      List<String> bootstrapArgs = new ArrayList<>(common);
      bootstrapArgs.addAll(bootstrapFlags);
      started.add(new ProviderProcess("bootstrap", BootstrapProviderMain.class.getName(), bootstrapArgs,
          plane.kubeconfig(), crashPoints.getOrDefault("bootstrap", List.of()), logs));
      started.add(new ProviderProcess("control-plane", ControlPlaneProviderMain.class.getName(), common,
          plane.kubeconfig(), crashPoints.getOrDefault("control-plane", List.of()), logs));
    } catch (IOException | RuntimeException e) {
      for (ProviderProcess p : started) {
        try {
          p.close();
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
      throw e;
    }
    return new Providers(List.copyOf(started));
  }

  List<ProviderManager> managers() {
    if (docker == null) throw new IllegalStateException("the providers run as processes");
    return List.of(docker, bootstrap, controlPlane);
  }

  @Override
  public void close() throws Exception {
    if (docker == null) {
      for (int i = processes.size() - 1; i >= 0; i--) processes.get(i).close();
    } else {
      controlPlane.close();
      bootstrap.close();
      docker.close();
    }
    runtime.close();
  }
}
