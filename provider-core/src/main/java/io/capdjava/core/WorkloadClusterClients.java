package io.capdjava.core;

import io.capdjava.core.manager.ClusterCaTrust;
import io.capdjava.core.manager.KubeconfigFiles;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients of workload clusters, built from each cluster's {@code <cluster>-kubeconfig} secret (key {@code value}).
 * One client per cluster is kept and reused; it is rebuilt when the secret changes (a rotated certificate, a moved
 * endpoint), detected by the secret's resourceVersion. The kubeconfig itself is never logged.
 */
public final class WorkloadClusterClients implements AutoCloseable {
  /**
   * A client nobody asked for this long is closed: its cluster is most likely deleted, and a provider that has no
   * deletion hook of its own for it (the Docker provider's machines, the bootstrap provider) would otherwise keep one
   * client per cluster it ever served. A later ask builds it again.
   */
  static final Duration IDLE_AFTER = Duration.ofMinutes(10);

  private final KubernetesClient management;
  private final Clock clock;
  private final Map<String, Cached> clients = new ConcurrentHashMap<>();

  private static final class Cached {
    final String secretVersion;
    final KubernetesClient client;
    volatile Instant lastAsked;

    Cached(String secretVersion, KubernetesClient client, Instant lastAsked) {
      this.secretVersion = secretVersion;
      this.client = client;
      this.lastAsked = lastAsked;
    }
  }

  public WorkloadClusterClients(KubernetesClient management) {
    this(management, Clock.systemUTC());
  }

  WorkloadClusterClients(KubernetesClient management, Clock clock) {
    this.management = management;
    this.clock = clock;
  }

  /** The client of cluster {@code namespace/cluster}; empty while its kubeconfig secret does not exist. */
  public Optional<KubernetesClient> forCluster(String namespace, String cluster) {
    closeIdle();
    String key = namespace + "/" + cluster;
    Secret secret =
        management.secrets().inNamespace(namespace).withName(Contract.Secret.kubeconfig(cluster)).get();
    Optional<byte[]> kubeconfig = ClusterSecrets.data(secret, Contract.Secret.VALUE_KEY);
    if (kubeconfig.isEmpty()) {
      forget(key);
      return Optional.empty();
    }
    String version = secret.getMetadata().getResourceVersion();
    Instant now = clock.instant();
    Cached cached =
        clients.compute(
            key,
            (k, old) -> {
              if (old != null && old.secretVersion.equals(version)) {
                old.lastAsked = now;
                return old;
              }
              if (old != null) old.client.close();
              return new Cached(version, build(new String(kubeconfig.get(), StandardCharsets.UTF_8)), now);
            });
    return Optional.of(cached.client);
  }

  /** How many clients are kept. */
  int cached() {
    return clients.size();
  }

  private void closeIdle() {
    Instant cutoff = clock.instant().minus(IDLE_AFTER);
    clients.entrySet().removeIf(e -> {
      if (!e.getValue().lastAsked.isBefore(cutoff)) return false;
      e.getValue().client.close();
      return true;
    });
  }

  /** Drops the client of a cluster that is gone. */
  public void forget(String namespace, String cluster) {
    forget(namespace + "/" + cluster);
  }

  private void forget(String key) {
    Cached old = clients.remove(key);
    if (old != null) old.client.close();
  }

  private KubernetesClient build(String kubeconfig) {
    Config config = ClusterCaTrust.apply(KubeconfigFiles.fromKubeconfig(kubeconfig));
    // a workload cluster that is still coming up should fail fast, not hold a reconcile thread
    config.setConnectionTimeout(10_000);
    config.setRequestTimeout(30_000);
    // fabric8 retries a refused connection ten times with backoff (about 20 s); a reconcile asks again later instead
    config.setRequestRetryBackoffLimit(1);
    // one serialization for every client: each fabric8 client would otherwise make its own Jackson mapper, whose
    // introspection caches (about 3 MiB of Method and AnnotatedMethod objects once warm) are kept per cluster
    return new KubernetesClientBuilder().withConfig(config)
        .withKubernetesSerialization(management.getKubernetesSerialization()).build();
  }

  @Override
  public void close() {
    clients.values().forEach(c -> c.client.close());
    clients.clear();
  }
}
