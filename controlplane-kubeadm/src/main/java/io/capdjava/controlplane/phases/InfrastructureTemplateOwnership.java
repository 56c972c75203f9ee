package io.capdjava.controlplane.phases;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.controlplane.desired.ContractApiVersions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The InfraMachineTemplate named by {@code spec.machineTemplate.spec.infrastructureRef} gets the Cluster as owner, so
 * {@code clusterctl move} and deletion treat it as part of the Cluster (upstream {@code reconcileExternalReference}).
 * A missing template is an error naming the field; the {@code ScalingUp} condition says so too.
 */
public final class InfrastructureTemplateOwnership {
  private static final String TEMPLATE_SUFFIX = "Template";

  private final KubernetesClient client;

  public InfrastructureTemplateOwnership(KubernetesClient client) {
    this.client = client;
  }

  /** The template named by the KCP does not exist. */
  public static final class TemplateNotFoundException extends IllegalStateException {
    TemplateNotFoundException(String message) {
      super(message);
    }
  }

  public void reconcile(ControlPlaneScope scope) {
    ContractVersionedObjectReference ref = scope.kcp().getSpec().machineTemplate.spec.infrastructureRef;
    if (ref == null || ref.kind == null || !ref.kind.endsWith(TEMPLATE_SUFFIX)) return;
    String apiVersion = ContractApiVersions.apiVersion(client, ref.apiGroup, ref.kind);
    GenericKubernetesResource template = client.genericKubernetesResources(apiVersion, ref.kind)
        .inNamespace(scope.namespace()).withName(ref.name).get();
    if (template == null) {
      scope.infraMachineTemplateNotFound(true);
      throw new TemplateNotFoundException("spec.machineTemplate.spec.infrastructureRef: " + ref.kind + " "
          + scope.namespace() + "/" + ref.name + " not found");
    }
    OwnerReference owner = clusterOwner(scope.cluster());
    List<OwnerReference> refs = template.getMetadata().getOwnerReferences();
    if (refs != null && refs.stream().anyMatch(r -> Objects.equals(r.getUid(), owner.getUid())
        && Objects.equals(r.getKind(), owner.getKind()) && Objects.equals(r.getName(), owner.getName())
        && Objects.equals(r.getApiVersion(), owner.getApiVersion()))) {
      return;
    }
    client.genericKubernetesResources(apiVersion, ref.kind).inNamespace(scope.namespace()).withName(ref.name)
        .edit(t -> {
          List<OwnerReference> updated = new ArrayList<>();
          for (OwnerReference r : t.getMetadata().getOwnerReferences() == null
              ? List.<OwnerReference>of() : t.getMetadata().getOwnerReferences()) {
            if (!Objects.equals(r.getUid(), owner.getUid())) updated.add(r);
          }
          updated.add(owner);
          t.getMetadata().setOwnerReferences(updated);
          return t;
        });
  }

  private static OwnerReference clusterOwner(Cluster cluster) {
    return new OwnerReferenceBuilder()
        .withApiVersion(cluster.getApiVersion())
        .withKind(cluster.getKind())
        .withName(cluster.getMetadata().getName())
        .withUid(cluster.getMetadata().getUid())
        .build();
  }
}
