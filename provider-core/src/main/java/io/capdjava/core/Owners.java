package io.capdjava.core;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Finds the CAPI objects a provider object belongs to. CAPI core sets these owners: a Machine owns its
 * infrastructure machine and bootstrap config, a Cluster owns its infrastructure cluster and control plane; the
 * {@code cluster.x-k8s.io/cluster-name} label names the Cluster of everything else.
 */
public final class Owners {
  private Owners() {}

  /** The owner reference of the given kind in the CAPI core group, any version. */
  public static Optional<OwnerReference> ownerReference(HasMetadata object, String kind) {
    if (object.getMetadata().getOwnerReferences() == null) return Optional.empty();
    return object.getMetadata().getOwnerReferences().stream()
        .filter(r -> kind.equals(r.getKind()) && groupOf(r.getApiVersion()).equals(Contract.CORE_GROUP))
        .findFirst();
  }

  /** The Machine named in {@code object}'s owner references; empty until CAPI core has set it, or when it is gone. */
  public static Optional<Machine> machine(KubernetesClient client, HasMetadata object) {
    return ownerReference(object, "Machine")
        .map(r -> client.resources(Machine.class).inNamespace(object.getMetadata().getNamespace())
            .withName(r.getName()).get());
  }

  /** The Cluster named in {@code object}'s owner references (how an infrastructure cluster or control plane finds it). */
  public static Optional<Cluster> clusterFromOwner(KubernetesClient client, HasMetadata object) {
    return ownerReference(object, "Cluster")
        .map(r -> cluster(client, object.getMetadata().getNamespace(), r.getName()).orElse(null));
  }

  /** The Cluster named by the {@code cluster.x-k8s.io/cluster-name} label of {@code object}. */
  public static Optional<Cluster> clusterFromLabel(KubernetesClient client, HasMetadata object) {
    return clusterName(object).flatMap(name -> cluster(client, object.getMetadata().getNamespace(), name));
  }

  /** The Cluster of a Machine: {@code spec.clusterName}, which CAPI core requires. */
  public static Optional<Cluster> clusterOf(KubernetesClient client, Machine machine) {
    if (machine.getSpec() == null || machine.getSpec().clusterName == null) return Optional.empty();
    return cluster(client, machine.getMetadata().getNamespace(), machine.getSpec().clusterName);
  }

  public static Optional<String> clusterName(HasMetadata object) {
    if (object.getMetadata().getLabels() == null) return Optional.empty();
    return Optional.ofNullable(object.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));
  }

  public static Optional<Cluster> cluster(KubernetesClient client, String namespace, String name) {
    return Optional.ofNullable(client.resources(Cluster.class).inNamespace(namespace).withName(name).get());
  }

  private static String groupOf(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
