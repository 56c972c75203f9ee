package io.capdjava.controlplane.phases;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.status.KcpStatus;
import io.capdjava.core.reconcile.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control plane that never initialized, whose Machines are outdated (the user fixed the spec after the first
 * Machine failed: a version without a node image, a wrong template) and never got their infrastructure provisioned:
 * those Machines are deleted, so that the next pass initializes the control plane from the current spec. Such a
 * Machine never ran {@code kubeadm init} to the end, so there is no etcd member and no workload to keep.
 *
 * <p>Upstream rolls them out like any others, and a rollout first updates the workload cluster's kubeadm-config,
 * which does not exist before init: the control plane stays stuck until a MachineHealthCheck remediates the Machine or
 * a user deletes it. Deliberately better here. A Machine whose infrastructure says provisioned (a cloud VM still
 * running cloud-init, say) is left to the normal rollout.
 */
public final class UninitializedMachineReplacement {
  /** Until the deleted Machines are gone and the control plane can be initialized again. */
  static final Duration WAIT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(UninitializedMachineReplacement.class);

  private final KubernetesClient client;
  private final EventRecorder events;

  public UninitializedMachineReplacement(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  public Optional<Duration> reconcile(ControlPlaneScope scope) {
    if (KcpStatus.initialized(scope.kcp())) return Optional.empty();
    List<Machine> stale = scope.controlPlaneMachines().machinesNeedingRollout().stream()
        .filter(m -> !MachineFacts.isDeleting(m) && !MachineFacts.hasNode(m) && !infrastructureProvisioned(m))
        .toList();
    if (stale.isEmpty()) return Optional.empty();
    for (Machine machine : stale) {
      String reasons = String.join(", ", scope.upToDate(MachineFacts.name(machine)).logMessages());
      LOG.info("{}/{}: deleting Machine {}: the control plane never initialized and its spec changed ({})",
          scope.namespace(), scope.kcp().getMetadata().getName(), MachineFacts.name(machine), reasons);
      events.normal(scope.kcp(), "ReplacingUninitializedMachine", "Deleting control plane Machine "
          + MachineFacts.name(machine) + ": it never initialized the control plane and is not up to date (" + reasons
          + "); the control plane is initialized again from the current spec");
      client.resource(machine).delete();
    }
    return Optional.of(WAIT);
  }

  private static boolean infrastructureProvisioned(Machine machine) {
    return machine.getStatus() != null && machine.getStatus().initialization != null
        && Boolean.TRUE.equals(machine.getStatus().initialization.infrastructureProvisioned);
  }
}
