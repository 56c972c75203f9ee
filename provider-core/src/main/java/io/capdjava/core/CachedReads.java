package io.capdjava.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.Optional;

/**
 * Reads of objects a controller already watches: from its informer's cache, its own or one shared by the process (kept
 * current by the watch that wakes the controller when they change), else from the API server (an object created a
 * moment ago may not be there yet, or lies outside the watched namespace). A provisioning reconcile read its Machine
 * and Cluster with a GET each time.
 * Cached objects are the cache's own: callers must not modify them.
 */
public final class CachedReads {
  private CachedReads() {}

  public static <R extends HasMetadata> Optional<R> get(Context<?> context, KubernetesClient client, Class<R> type,
      String namespace, String name) {
    if (context != null) {
      for (var source : context.eventSourceRetriever().getEventSourcesFor(type)) {
        if (source instanceof Cache<?> cache) {
          Optional<?> cached = cache.get(new ResourceID(name, namespace));
          if (cached.isPresent()) return Optional.of(type.cast(cached.get()));
        }
      }
    }
    return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
  }
}
