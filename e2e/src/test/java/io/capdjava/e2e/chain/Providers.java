package io.capdjava.e2e.chain;

import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneProviderMain;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/** Our three providers, running in the test's JVM against the management plane, watching one namespace. */
final class Providers implements AutoCloseable {
  final DockerEngineRuntime runtime;
  private final ProviderManager docker;
  private final ProviderManager bootstrap;
  private final ProviderManager controlPlane;

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
  }

  List<ProviderManager> managers() {
    return List.of(docker, bootstrap, controlPlane);
  }

  @Override
  public void close() throws Exception {
    controlPlane.close();
    bootstrap.close();
    docker.close();
    runtime.close();
  }
}
