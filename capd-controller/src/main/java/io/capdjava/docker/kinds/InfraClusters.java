package io.capdjava.docker.kinds;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.core.CachedReads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/** A Cluster's infrastructure object, read by the kind its {@code spec.infrastructureRef} names. */
public final class InfraClusters {
  public static final String DOCKER_CLUSTER = "DockerCluster";
  public static final String DEV_CLUSTER = "DevCluster";

  private InfraClusters() {}

  /**
   * The docker backend settings of the Cluster's DockerCluster or DevCluster; empty when it names another kind, does
   * not exist (yet), or asks for another backend.
   */
  public static Optional<ClusterSettings> settings(KubernetesClient client, Cluster cluster) {
    return settings(null, client, cluster);
  }

  /** As {@link #settings(KubernetesClient, Cluster)}, from the informer caches of {@code context} where it has them. */
  public static Optional<ClusterSettings> settings(Context<?> context, KubernetesClient client, Cluster cluster) {
    var ref = cluster.getSpec() == null ? null : cluster.getSpec().infrastructureRef;
    if (ref == null || ref.name == null || ref.kind == null) return Optional.empty();
    String namespace = cluster.getMetadata().getNamespace();
    return switch (ref.kind) {
      case DOCKER_CLUSTER -> CachedReads.get(context, client, DockerCluster.class, namespace, ref.name)
          .map(ClusterSettings::of);
      case DEV_CLUSTER -> CachedReads.get(context, client, DevCluster.class, namespace, ref.name)
          .map(ClusterSettings::of);
      default -> Optional.empty();
    };
  }
}
