package io.capdjava.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds and removes finalizers with a patch of {@code metadata.finalizers} only, so nothing else of the object is
 * overwritten. Both are no-ops (no API call) when the object is already as asked. Upstream's finalizer names
 * ({@code dockercluster.infrastructure.cluster.x-k8s.io}) have no slash; the API server accepts them, fabric8's
 * {@code addFinalizer} does not, so the list is edited directly.
 */
public final class Finalizers {
  private Finalizers() {}

  public static boolean has(HasMetadata resource, String finalizer) {
    return resource.getMetadata().getFinalizers() != null && resource.getMetadata().getFinalizers().contains(finalizer);
  }

  public static <T extends HasMetadata> T ensure(KubernetesClient client, T resource, String finalizer) {
    if (has(resource, finalizer)) return resource;
    return client.resource(resource).edit(r -> {
      List<String> finalizers = new ArrayList<>(r.getMetadata().getFinalizers());
      finalizers.add(finalizer);
      r.getMetadata().setFinalizers(finalizers);
      return r;
    });
  }

  public static <T extends HasMetadata> T remove(KubernetesClient client, T resource, String finalizer) {
    if (!has(resource, finalizer)) return resource;
    return client.resource(resource).edit(r -> {
      r.getMetadata().setFinalizers(
          r.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer)).toList());
      return r;
    });
  }
}
