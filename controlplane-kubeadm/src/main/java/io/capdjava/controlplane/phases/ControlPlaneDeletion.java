package io.capdjava.controlplane.phases;

import io.capdjava.core.CrashPoints;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.PreflightResult;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting a KubeadmControlPlane (upstream {@code reconcileDelete}): while worker Machines or MachinePools of the
 * Cluster exist, wait for them; then remove the {@code kcp-cleanup} hook from every control plane Machine (the whole
 * etcd cluster goes, so no member is moved or removed) and delete them all at once; once none is left the finalizer
 * can go.
 */
public final class ControlPlaneDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneDeletion.class);

  private final KubernetesClient client;
  private final PreTerminateHook hook;

  public ControlPlaneDeletion(KubernetesClient client, PreTerminateHook hook) {
    this.client = client;
    this.hook = hook;
  }

  /** Empty when no control plane Machine is left (the finalizer may go), else when to look again. */
  public Optional<Duration> reconcile(ControlPlaneScope scope) {
    if (scope.machines().isEmpty()) {
      scope.deleting(ControlPlaneConditions.DELETION_COMPLETED_REASON, "Deletion completed");
      return Optional.empty();
    }
    Duration wait = PreflightResult.DELETE_REQUEUE;
    List<String> pending = workersPendingDeletion(scope);
    if (!pending.isEmpty()) {
      scope.deleting(ControlPlaneConditions.WAITING_FOR_WORKERS_DELETION_REASON,
          "KubeadmControlPlane deletion blocked because following objects still exist:\n"
              + pending.stream().map(p -> "* " + p).collect(Collectors.joining("\n")));
      LOG.info("Deletion of {}/{} waits for worker Machines and MachinePools to go", scope.namespace(),
          scope.kcp().getMetadata().getName());
      return Optional.of(wait);
    }
    List<String> errors = new ArrayList<>();
    for (Machine machine : scope.machines()) {
      try {
        hook.removeHook(machine);
        if (!MachineFacts.isDeleting(machine)) {
          client.resource(machine).delete();
          CrashPoints.reach("KubeadmControlPlane/deletion-machine-deleting");
          LOG.info("Deleting Machine {}/{} (KubeadmControlPlane deleted)", scope.namespace(), MachineFacts.name(machine));
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) errors.add(MachineFacts.name(machine) + ": " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      scope.deleting(ControlPlaneConditions.INTERNAL_ERROR_REASON, "Failed to delete control plane Machines: "
          + String.join("; ", errors));
      throw new IllegalStateException("failed to delete control plane Machines of " + scope.namespace() + "/"
          + scope.kcp().getMetadata().getName() + ": " + String.join("; ", errors));
    }
    int n = scope.machines().size();
    scope.deleting(ControlPlaneConditions.WAITING_FOR_MACHINE_DELETION_REASON,
        "Deleting " + n + (n == 1 ? " Machine" : " Machines"));
    return Optional.of(wait);
  }

  /** "Machines: a, b" and "MachinePools: c" for what of the Cluster is not a control plane Machine. */
  private List<String> workersPendingDeletion(ControlPlaneScope scope) {
    Set<String> controlPlane = scope.machines().stream().map(MachineFacts::name).collect(Collectors.toSet());
    List<String> workers = client.resources(Machine.class).inNamespace(scope.namespace())
        .withLabel(Contract.Label.CLUSTER_NAME, scope.clusterName()).list().getItems().stream()
        .filter(m -> !controlPlane.contains(MachineFacts.name(m))
            && (m.getMetadata().getLabels() == null
                || !m.getMetadata().getLabels().containsKey(Contract.Label.CONTROL_PLANE)))
        .map(MachineFacts::name).sorted().toList();
    List<String> pools = machinePools(scope);
    List<String> pending = new ArrayList<>();
    if (!pools.isEmpty()) pending.add("MachinePools: " + String.join(", ", pools));
    if (!workers.isEmpty()) pending.add("Machines: " + String.join(", ", workers));
    return pending;
  }

  private List<String> machinePools(ControlPlaneScope scope) {
    try {
      return client.genericKubernetesResources(Contract.CORE_GROUP + "/v1beta2", "MachinePool")
          .inNamespace(scope.namespace())
          .withLabel(Contract.Label.CLUSTER_NAME, scope.clusterName()).list().getItems().stream()
          .map(GenericKubernetesResource::getMetadata).map(m -> m.getName()).sorted().toList();
    } catch (KubernetesClientException e) {
      // MachinePools are optional in CAPI: without their CRD there are none
      if (e.getCode() == 404) return List.of();
      throw e;
    }
  }
}
