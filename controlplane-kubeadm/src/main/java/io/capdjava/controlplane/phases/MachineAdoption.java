package io.capdjava.controlplane.phases;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Contract;
import io.capdjava.core.KubernetesVersion;
import io.capdjava.core.reconcile.EventRecorder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Upstream {@code adoptMachines}: control plane Machines of the Cluster that no controller owns (a stand-alone control
 * plane a KCP is put in front of, or Machines whose owner references a backup/restore dropped) become the KCP's, with
 * the certificate secrets their KubeadmConfig made. Not adopted: Machines being deleted, and (none of them, with an
 * event, as upstream) any whose version is more than one minor away from the KCP's.
 */
public final class MachineAdoption {
  private static final String KUBEADM_CONFIG = "KubeadmConfig";

  private final KubernetesClient client;
  private final EventRecorder events;

  public MachineAdoption(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** Control plane Machines without a controller that are not being deleted (upstream AdoptableControlPlaneMachines). */
  static List<Machine> adoptable(List<Machine> controlPlaneMachines) {
    return controlPlaneMachines.stream()
        .filter(m -> m.getMetadata().getDeletionTimestamp() == null)
        .filter(m -> m.getMetadata().getOwnerReferences() == null
            || m.getMetadata().getOwnerReferences().stream().noneMatch(r -> Boolean.TRUE.equals(r.getController())))
        .toList();
  }

  /** Adopts the machines; false when none was (a version outside the supported skew), which an event explains. */
  boolean adopt(KubeadmControlPlane kcp, String clusterName, List<Machine> machines) {
    // a quorum read: the garbage collector may just have orphaned these Machines of a KCP being deleted
    KubeadmControlPlane current = client.resources(KubeadmControlPlane.class)
        .inNamespace(kcp.getMetadata().getNamespace()).withName(kcp.getMetadata().getName()).get();
    if (current == null || current.isMarkedForDeletion()) {
      throw new IllegalStateException(kcp.getMetadata().getNamespace() + "/" + kcp.getMetadata().getName()
          + " has just been deleted");
    }
    KubernetesVersion kcpVersion = KubernetesVersion.parse(kcp.getSpec().version);
    for (Machine m : machines) {
      ContractVersionedObjectReference ref = m.getSpec().bootstrap == null ? null : m.getSpec().bootstrap.configRef;
      if (ref == null || !ref.isDefined() || !KUBEADM_CONFIG.equals(ref.kind)) {
        throw new ControlPlaneScopeReader.MixedManagementException("unable to adopt Machine "
            + m.getMetadata().getNamespace() + "/" + MachineFacts.name(m)
            + ": expected spec.bootstrap.configRef of kind KubeadmConfig but found " + (ref == null ? "none" : ref.kind));
      }
      if (m.getSpec().version == null || m.getSpec().version.isEmpty()) continue;
      KubernetesVersion version = KubernetesVersion.parse(m.getSpec().version);
      if (version.major() != kcpVersion.major() || Math.abs(version.minor() - kcpVersion.minor()) > 1) {
        events.warning(kcp, "AdoptionFailed", "Could not adopt Machine " + m.getMetadata().getNamespace() + "/"
            + MachineFacts.name(m) + ": its version (\"" + m.getSpec().version
            + "\") is outside supported +/- one minor version skew from KCP's (\"" + kcp.getSpec().version + "\")");
        return false;
      }
    }
    OwnerReference controller = controllerReference(kcp);
    for (Machine m : machines) {
      KubeadmConfig config = client.resources(KubeadmConfig.class).inNamespace(kcp.getMetadata().getNamespace())
          .withName(m.getSpec().bootstrap.configRef.name).get();
      if (config != null) adoptCertificateSecrets(kcp, config, clusterName, controller);
      client.resources(Machine.class).inNamespace(m.getMetadata().getNamespace()).withName(MachineFacts.name(m))
          .edit(edited -> {
            edited.getMetadata().setOwnerReferences(withController(edited.getMetadata().getOwnerReferences(),
                controller, null));
            return edited;
          });
    }
    return true;
  }

  /**
   * Machines the KCP controls through a reference naming another version of its API (written by an older release, or
   * restored) get the reference at the current version, as upstream's server-side apply of its Machines does.
   */
  void updateStaleControllerReferences(KubeadmControlPlane kcp, List<Machine> owned) {
    OwnerReference controller = controllerReference(kcp);
    for (Machine m : owned) {
      boolean stale = m.getMetadata().getOwnerReferences().stream()
          .anyMatch(r -> Objects.equals(r.getUid(), controller.getUid())
              && !Objects.equals(r.getApiVersion(), controller.getApiVersion()));
      if (!stale) continue;
      client.resources(Machine.class).inNamespace(m.getMetadata().getNamespace()).withName(MachineFacts.name(m))
          .edit(edited -> {
            edited.getMetadata().setOwnerReferences(withController(edited.getMetadata().getOwnerReferences(),
                controller, null));
            return edited;
          });
    }
  }

  /**
   * Upstream {@code adoptOwnedSecrets}: the secrets of the cluster the KubeadmConfig owns, except its bootstrap data,
   * get the KCP as controller in its place.
   */
  private void adoptCertificateSecrets(KubeadmControlPlane kcp, KubeadmConfig config, String clusterName,
      OwnerReference controller) {
    String dataSecret = config.getStatus() == null ? null : config.getStatus().dataSecretName;
    for (Secret s : client.secrets().inNamespace(kcp.getMetadata().getNamespace())
        .withLabel(Contract.Label.CLUSTER_NAME, clusterName).list().getItems()) {
      if (s.getMetadata().getName().equals(dataSecret)) continue;
      List<OwnerReference> refs = s.getMetadata().getOwnerReferences();
      if (refs == null || refs.stream().noneMatch(r -> KUBEADM_CONFIG.equals(r.getKind())
          && Objects.equals(r.getUid(), config.getMetadata().getUid()))) {
        continue;
      }
      client.secrets().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName())
          .edit(edited -> {
            edited.getMetadata().setOwnerReferences(withController(edited.getMetadata().getOwnerReferences(),
                controller, config.getMetadata().getUid()));
            return edited;
          });
    }
  }

  /** The references without the one of {@code replacedUid} (and any of the controller's uid), then the controller. */
  private static List<OwnerReference> withController(List<OwnerReference> refs, OwnerReference controller,
      String replacedUid) {
    List<OwnerReference> updated = new ArrayList<>();
    for (OwnerReference r : refs == null ? List.<OwnerReference>of() : refs) {
      if (Objects.equals(r.getUid(), controller.getUid()) || Objects.equals(r.getUid(), replacedUid)) continue;
      updated.add(r);
    }
    updated.add(controller);
    return updated;
  }

  private static OwnerReference controllerReference(KubeadmControlPlane kcp) {
    return new OwnerReferenceBuilder()
        .withApiVersion(kcp.getApiVersion())
        .withKind(kcp.getKind())
        .withName(kcp.getMetadata().getName())
        .withUid(kcp.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
