package io.capdjava.core.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One kind's informers (one per watched namespace, or one for all), shared by every event source of the process that
 * watches the kind: one LIST and one watch, each change read once, one cache.
 */
final class KindInformer<R extends HasMetadata> implements AutoCloseable {
  /** All namespaces, as JOSDK names them. */
  private static final String ALL_NAMESPACES = "";

  private final Class<R> type;
  private final Duration syncTimeout;
  private final Map<String, SharedIndexInformer<R>> byNamespace = new LinkedHashMap<>();
  private boolean started;

  KindInformer(KubernetesClient client, Class<R> type, Set<String> namespaces, Duration syncTimeout) {
    this.type = type;
    this.syncTimeout = syncTimeout;
    if (namespaces.isEmpty()) {
      byNamespace.put(ALL_NAMESPACES, client.resources(type).inAnyNamespace().runnableInformer(0));
    } else {
      for (String namespace : namespaces) {
        byNamespace.put(namespace, client.resources(type).inNamespace(namespace).runnableInformer(0));
      }
    }
  }

  /**
   * Starts the informers on first call and waits until their caches are filled, as JOSDK's own informers do before
   * their controller starts; a LIST that fails (RBAC, a kind not installed) fails the start, naming the kind.
   */
  synchronized void startAndSync() {
    if (started) return;
    Map<String, CompletableFuture<Void>> starts = new LinkedHashMap<>();
    byNamespace.forEach((namespace, informer) -> starts.put(namespace, informer.start().toCompletableFuture()));
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    for (var start : starts.entrySet()) {
      try {
        start.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new OperatorException("cannot list and watch " + describe(start.getKey()) + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new OperatorException("the cache of " + describe(start.getKey()) + " was not filled within "
            + syncTimeout.toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperatorException("interrupted while filling the cache of " + describe(start.getKey()));
      }
    }
    started = true;
  }

  private String describe(String namespace) {
    return HasMetadata.getPlural(type) + "." + HasMetadata.getGroup(type)
        + (ALL_NAMESPACES.equals(namespace) ? " in all namespaces" : " in namespace " + namespace);
  }

  /** Adds {@code handler}; it is first told of every object already cached, as additions. */
  void addHandler(ResourceEventHandler<R> handler) {
    byNamespace.values().forEach(informer -> informer.addEventHandler(handler));
  }

  void removeHandler(ResourceEventHandler<R> handler) {
    byNamespace.values().forEach(informer -> informer.removeEventHandler(handler));
  }

  Optional<R> get(ResourceID id) {
    String namespace = id.getNamespace().orElse(null);
    SharedIndexInformer<R> informer = byNamespace.getOrDefault(ALL_NAMESPACES, byNamespace.get(namespace));
    if (informer == null) return Optional.empty();
    return Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, id.getName())));
  }

  /** The cached objects of {@code namespace} (null: of all) that {@code filter} accepts. */
  Stream<R> list(String namespace, Predicate<R> filter) {
    Stream<R> all = byNamespace.values().stream().flatMap(informer -> informer.getStore().list().stream());
    if (namespace != null) all = all.filter(r -> namespace.equals(r.getMetadata().getNamespace()));
    return all.filter(filter);
  }

  Map<String, InformerHealthIndicator> health() {
    Map<String, InformerHealthIndicator> health = new LinkedHashMap<>();
    byNamespace.forEach((namespace, informer) -> health.put(namespace, new Health(informer, namespace)));
    return health;
  }

  @Override
  public void close() {
    byNamespace.values().forEach(SharedIndexInformer::stop);
  }

  private record Health(SharedIndexInformer<?> informer, String namespace) implements InformerHealthIndicator {
    @Override
    public boolean hasSynced() {
      return informer.hasSynced();
    }

    @Override
    public boolean isWatching() {
      return informer.isWatching();
    }

    @Override
    public boolean isRunning() {
      return informer.isRunning();
    }

    @Override
    public Status getStatus() {
      return isRunning() && hasSynced() && isWatching() ? Status.HEALTHY : Status.UNHEALTHY;
    }

    @Override
    public String getTargetNamespace() {
      return namespace;
    }
  }
}
