package io.capdjava.e2e.chain;

import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneOperator;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Set;

/** Our three providers, running in the test's JVM against the management plane, watching one namespace. */
final class Providers implements AutoCloseable {
  final DockerEngineRuntime runtime;
  private final Operator docker;
  private final Operator bootstrap;
  private final ControlPlaneOperator controlPlane;

  Providers(KubernetesClient client, String namespace) {
    this(client, client, client, namespace);
  }

  /** Each provider with a client of its own (one impersonating that provider's service account, say). */
  Providers(KubernetesClient dockerClient, KubernetesClient bootstrapClient, KubernetesClient controlPlaneClient,
      String namespace) {
    runtime = DockerEngineRuntime.connect();
    docker = DockerProviderMain.start(dockerClient, runtime, SecurityProfiles.choose("auto", runtime), namespace, 10);
    bootstrap = BootstrapProviderMain.start(bootstrapClient, namespace, Duration.ofMinutes(15), 10);
    controlPlane = new ControlPlaneOperator(controlPlaneClient, Set.of(namespace), false);
    controlPlane.start();
  }

  @Override
  public void close() throws Exception {
    controlPlane.close();
    bootstrap.stop();
    docker.stop();
    runtime.close();
  }
}
