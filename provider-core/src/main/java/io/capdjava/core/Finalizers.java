package io.capdjava.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds and removes finalizers with a merge patch of {@code metadata.finalizers} only, so nothing else of the object is
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
    List<String> finalizers = new ArrayList<>(
        resource.getMetadata().getFinalizers() == null ? List.of() : resource.getMetadata().getFinalizers());
    finalizers.add(finalizer);
    return patch(client, resource, finalizers);
  }

  public static <T extends HasMetadata> T remove(KubernetesClient client, T resource, String finalizer) {
    if (!has(resource, finalizer)) return resource;
    return patch(client, resource, resource.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer))
        .toList());
  }

  /**
   * A merge patch of the list, without the resourceVersion: as controller-runtime's {@code MergeFrom} patches, it
   * does not fail when the object changed since it was read (a status write, a label), which an update would.
   */
  private static <T extends HasMetadata> T patch(KubernetesClient client, T resource, List<String> finalizers) {
    return client.resource(resource).patch(PatchContext.of(PatchType.JSON_MERGE),
        Serialization.asJson(Map.of("metadata", Map.of("finalizers", finalizers))));
  }
}
