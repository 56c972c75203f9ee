package io.capdjava.core;

import io.capdjava.api.core.v1beta2.Cluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Pausing, as CAPI's {@code util/paused}: an object is paused when its Cluster has {@code spec.paused: true} or the
 * object carries the {@code cluster.x-k8s.io/paused} annotation ({@code clusterctl move} relies on both). The
 * {@code Paused} condition says which; a paused object is not reconciled further.
 */
public final class Paused {
  private Paused() {}

  public static boolean isPaused(Cluster cluster, HasMetadata object) {
    return clusterPaused(cluster) || hasPausedAnnotation(object);
  }

  /** The {@code Paused} condition for {@code object}: True/Paused with the reasons, or False/NotPaused. */
  public static Condition condition(Cluster cluster, HasMetadata object) {
    Long generation = object.getMetadata().getGeneration();
    List<String> why = new ArrayList<>();
    if (clusterPaused(cluster)) why.add("Cluster spec.paused is set to true");
    if (hasPausedAnnotation(object)) why.add(object.getKind() + " has the cluster.x-k8s.io/paused annotation");
    if (why.isEmpty()) {
      return Conditions.of(Contract.Condition.PAUSED, Conditions.FALSE, Contract.Condition.NOT_PAUSED_REASON, "", generation);
    }
    return Conditions.of(
        Contract.Condition.PAUSED, Conditions.TRUE, Contract.Condition.PAUSED_REASON, String.join(", ", why), generation);
  }

  private static boolean clusterPaused(Cluster cluster) {
    return cluster != null && cluster.getSpec() != null && Boolean.TRUE.equals(cluster.getSpec().paused);
  }

  private static boolean hasPausedAnnotation(HasMetadata object) {
    return object.getMetadata().getAnnotations() != null
        && object.getMetadata().getAnnotations().containsKey(Contract.Annotation.PAUSED);
  }
}
