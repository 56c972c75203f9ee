package io.capdjava.core.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The informers of the kinds several controllers of the process watch besides their own (Clusters, Machines,
 * MachinePools, the infrastructure clusters), one per kind, as controller-runtime's manager shares one cache between
 * its controllers. With a JOSDK informer per controller, the three providers watched Clusters six times and Machines
 * four: each change was sent, decrypted, read and cached that many times. A controller's own kind stays with JOSDK.
 */
public final class SharedInformers implements AutoCloseable {
  /** As JOSDK's default cache sync timeout. */
  static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final Map<Class<?>, KindInformer<?>> kinds = new ConcurrentHashMap<>();

  /** Informers over {@code namespaces} (empty: all), as the controllers watch. */
  public SharedInformers(KubernetesClient client, Set<String> namespaces) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
  }

  /**
   * An event source for a controller: a change of a {@code type} object wakes the objects {@code toPrimaries} maps it
   * to. The kind's informer starts with the first controller that starts such a source.
   */
  public <R extends HasMetadata, P extends HasMetadata> SharedInformerEventSource<R, P> eventSource(String name,
      Class<R> type, SecondaryToPrimaryMapper<R> toPrimaries) {
    return new SharedInformerEventSource<>(name, kind(type), type, toPrimaries);
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> KindInformer<R> kind(Class<R> type) {
    return (KindInformer<R>) kinds.computeIfAbsent(type,
        t -> new KindInformer<>(client, type, namespaces, SYNC_TIMEOUT));
  }

  /** Stops every informer; after the controllers have stopped. */
  @Override
  public void close() {
    kinds.values().forEach(KindInformer::close);
  }
}
