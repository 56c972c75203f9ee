package io.capdjava.controlplane.phases;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.status.KcpStatus;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.certs.ClusterCertificate;
import io.capdjava.core.certs.ClusterCertificates;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster certificates from KCP's side (upstream {@code reconcileClusterCertificates}): until the control plane is
 * initialized they are looked up or generated with the KCP as controller; afterwards they are only looked up (a CA
 * cannot be regenerated under a running cluster). Certificate secrets CAPI made ({@code cluster.x-k8s.io/secret}) get
 * the KCP as controller; user secrets of other types are left alone. Sets {@code CertificatesAvailable}.
 */
public final class ControlPlaneCertificates {
  private final KubernetesClient client;

  public ControlPlaneCertificates(KubernetesClient client) {
    this.client = client;
  }

  public void reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    var spec = kcp.getSpec().kubeadmConfigSpec;
    ClusterCertificates certificates =
        ClusterCertificates.forInitialControlPlane(spec == null ? null : spec.clusterConfiguration);
    boolean initialized = Conditions.isTrue(KcpStatus.conditions(kcp), ControlPlaneConditions.INITIALIZED);
    try {
      if (!initialized) {
        certificates.lookupOrGenerate(client, scope.namespace(), scope.clusterName(), kcp);
      } else {
        certificates.lookup(client, scope.namespace(), scope.clusterName());
        List<String> missing = new ArrayList<>();
        for (ClusterCertificate c : certificates.all()) {
          if (c.secret() == null) missing.add(c.purpose().suffix());
        }
        if (!missing.isEmpty()) {
          String message = missing.size() == 1
              ? "Cluster certificate for " + missing.get(0) + " is not available, please check cluster certificate secrets"
              : "Cluster certificates for " + String.join(", ", missing)
                  + " are not available, please check cluster certificate secrets";
          KcpStatus.set(kcp, Conditions.isFalse(ControlPlaneConditions.CERTIFICATES_AVAILABLE,
              ControlPlaneConditions.NOT_AVAILABLE_REASON, message, kcp.getMetadata().getGeneration()));
          return;
        }
      }
      ensureControlPlaneOwns(certificates, ClusterSecrets.controllerReference(kcp));
    } catch (RuntimeException e) {
      KcpStatus.set(kcp, Conditions.of(ControlPlaneConditions.CERTIFICATES_AVAILABLE, Conditions.UNKNOWN,
          ControlPlaneConditions.INTERNAL_ERROR_REASON, e.getMessage(), kcp.getMetadata().getGeneration()));
      throw e;
    }
    KcpStatus.set(kcp, Conditions.isTrue(ControlPlaneConditions.CERTIFICATES_AVAILABLE,
        ControlPlaneConditions.AVAILABLE_REASON, kcp.getMetadata().getGeneration()));
  }

  /** Upstream {@code ensureCertificatesOwnerRef}: the KCP becomes the controller of CAPI-made certificate secrets. */
  private void ensureControlPlaneOwns(ClusterCertificates certificates, OwnerReference controller) {
    for (ClusterCertificate c : certificates.all()) {
      Secret secret = c.secret();
      if (secret == null || !Contract.Secret.TYPE.equals(secret.getType())) continue;
      List<OwnerReference> refs = secret.getMetadata().getOwnerReferences() == null
          ? List.of() : secret.getMetadata().getOwnerReferences();
      if (refs.stream().anyMatch(r -> sameReference(r, controller))) continue;
      client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
          .edit(s -> {
            List<OwnerReference> updated = new ArrayList<>();
            for (OwnerReference r : s.getMetadata().getOwnerReferences() == null
                ? List.<OwnerReference>of() : s.getMetadata().getOwnerReferences()) {
              // replace the current controller and any stale reference to this KCP
              if (Boolean.TRUE.equals(r.getController()) || Objects.equals(r.getUid(), controller.getUid())) continue;
              updated.add(r);
            }
            updated.add(controller);
            s.getMetadata().setOwnerReferences(updated);
            return s;
          });
    }
  }

  private static boolean sameReference(OwnerReference a, OwnerReference b) {
    return Objects.equals(a.getUid(), b.getUid()) && Objects.equals(a.getApiVersion(), b.getApiVersion())
        && Objects.equals(a.getKind(), b.getKind()) && Objects.equals(a.getName(), b.getName())
        && Objects.equals(a.getController(), b.getController());
  }
}
