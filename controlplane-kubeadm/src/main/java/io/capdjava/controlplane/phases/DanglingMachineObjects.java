package io.capdjava.controlplane.phases;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.controlplane.desired.ContractApiVersions;
import io.capdjava.controlplane.desired.InfrastructureMachineClone;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Contract;
import io.capdjava.core.reconcile.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a control plane Machine creation left half-made: an InfraMachine or KubeadmConfig the KCP made for a
 * Machine that was never created (the KCP process died between the two, or its clean-up failed). Upstream cleans up
 * only within the reconcile whose creation failed, so a crash there leaves them until the cluster is deleted; here
 * the next reconcile finds them (owned by the KCP, named after a Machine that does not exist, older than
 * {@link #GRACE}) and deletes them.
 */
public final class DanglingMachineObjects {
  /** Younger objects may belong to a creation still in flight (a Machine not visible yet); they are left alone. */
  static final Duration GRACE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(DanglingMachineObjects.class);

  private final KubernetesClient client;
  private final EventRecorder events;

  public DanglingMachineObjects(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** Deletes the dangling objects of the scope's KCP; returns the names deleted. */
  public List<String> reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    Set<String> machines = scope.machines().stream().map(MachineFacts::name).collect(Collectors.toSet());
    List<HasMetadata> candidates = new ArrayList<>(client.resources(KubeadmConfig.class).inNamespace(scope.namespace())
        .withLabel(Contract.Label.CLUSTER_NAME, scope.clusterName()).withLabel(Contract.Label.CONTROL_PLANE)
        .list().getItems());
    ContractVersionedObjectReference template = kcp.getSpec().machineTemplate == null
        || kcp.getSpec().machineTemplate.spec == null ? null : kcp.getSpec().machineTemplate.spec.infrastructureRef;
    if (template != null && template.isDefined()) {
      String apiVersion = ContractApiVersions.apiVersion(client, template.apiGroup, template.kind);
      candidates.addAll(client.genericKubernetesResources(apiVersion, InfrastructureMachineClone.kindOf(template.kind))
          .inNamespace(scope.namespace()).withLabel(Contract.Label.CLUSTER_NAME, scope.clusterName())
          .withLabel(Contract.Label.CONTROL_PLANE).list().getItems());
    }
    Instant before = scope.reconciliationTime().minus(GRACE);
    List<String> deleted = new ArrayList<>();
    for (HasMetadata o : candidates) {
      if (!dangling(o, kcp, machines, before)) continue;
      try {
        client.resource(o).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
      }
      String what = o.getKind() + " " + o.getMetadata().getName();
      deleted.add(what);
      LOG.info("{}/{}: deleted {}: made for a Machine that was never created", scope.namespace(),
          kcp.getMetadata().getName(), what);
      events.normal(kcp, "DanglingObjectDeleted", "Deleted " + what + ", made for a Machine that was never created");
    }
    return deleted;
  }

  /** Owned by this KCP alone (no Machine took it over), no Machine of its name, and not just made. */
  static boolean dangling(HasMetadata o, KubeadmControlPlane kcp, Set<String> machines, Instant before) {
    if (o.getMetadata().getDeletionTimestamp() != null || machines.contains(o.getMetadata().getName())) return false;
    var owners = o.getMetadata().getOwnerReferences();
    if (owners == null || owners.isEmpty()) return false;
    boolean ownedByKcp = owners.stream().anyMatch(r -> kcp.getMetadata().getUid().equals(r.getUid()));
    boolean ownedByMachine = owners.stream().anyMatch(r -> "Machine".equals(r.getKind()));
    String created = o.getMetadata().getCreationTimestamp();
    return ownedByKcp && !ownedByMachine && created != null && Instant.parse(created).isBefore(before);
  }
}
