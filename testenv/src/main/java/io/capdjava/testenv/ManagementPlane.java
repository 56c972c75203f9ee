package io.capdjava.testenv;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a test gets from {@link ManagementPlaneExtension}: a client of the real management plane, the kubeconfig
 * behind it, and a namespace of its own.
 */
public final class ManagementPlane {
  private final Path kubeconfig;
  private final KubernetesClient client;
  private final String namespace;

  ManagementPlane(Path kubeconfig, KubernetesClient client, String namespace) {
    this.kubeconfig = kubeconfig;
    this.client = client;
    this.namespace = namespace;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The namespace created for the running test class; removed after it. */
  public String namespace() {
    return namespace;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  static KubernetesClient clientFor(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      // watches streamed over the client's one HTTP/2 connection, as the providers' own client makes them
      // (provider-core ManagementClient)
      config.setOnlyHttpWatches(true);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
