package io.capdjava.core;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients of workload clusters, built from each cluster's {@code <cluster>-kubeconfig} secret (key {@code value}).
 * One client per cluster is kept and reused; it is rebuilt when the secret changes (a rotated certificate, a moved
 * endpoint), detected by the secret's resourceVersion. The kubeconfig itself is never logged.
 */
public final class WorkloadClusterClients implements AutoCloseable {
  private final KubernetesClient management;
  private final Map<String, Cached> clients = new ConcurrentHashMap<>();

  private record Cached(String secretVersion, KubernetesClient client) {}

  public WorkloadClusterClients(KubernetesClient management) {
    this.management = management;
  }

  /** The client of cluster {@code namespace/cluster}; empty while its kubeconfig secret does not exist. */
  public Optional<KubernetesClient> forCluster(String namespace, String cluster) {
    String key = namespace + "/" + cluster;
    Secret secret =
        management.secrets().inNamespace(namespace).withName(Contract.Secret.kubeconfig(cluster)).get();
    Optional<byte[]> kubeconfig = ClusterSecrets.data(secret, Contract.Secret.VALUE_KEY);
    if (kubeconfig.isEmpty()) {
      forget(key);
      return Optional.empty();
    }
    String version = secret.getMetadata().getResourceVersion();
    Cached cached =
        clients.compute(
            key,
            (k, old) -> {
              if (old != null && old.secretVersion.equals(version)) return old;
              if (old != null) old.client.close();
              return new Cached(version, build(new String(kubeconfig.get(), StandardCharsets.UTF_8)));
            });
    return Optional.of(cached.client);
  }

  /** Drops the client of a cluster that is gone. */
  public void forget(String namespace, String cluster) {
    forget(namespace + "/" + cluster);
  }

  private void forget(String key) {
    Cached old = clients.remove(key);
    if (old != null) old.client.close();
  }

  private static KubernetesClient build(String kubeconfig) {
    Config config = Config.fromKubeconfig(kubeconfig);
    // a workload cluster that is still coming up should fail fast, not hold a reconcile thread
    config.setConnectionTimeout(10_000);
    config.setRequestTimeout(30_000);
    // fabric8 retries a refused connection ten times with backoff (about 20 s); a reconcile asks again later instead
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public void close() {
    clients.values().forEach(c -> c.client.close());
    clients.clear();
  }
}
