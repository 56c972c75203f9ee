package io.capdjava.controlplane.phases;

import io.capdjava.core.CrashPoints;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.ControlPlaneMachines;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.PreflightChecks;
import io.capdjava.controlplane.machines.PreflightResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds and removes control plane Machines one at a time (upstream {@code scale.go}): the first Machine runs
 * {@code kubeadm init}; each further one joins only after the preflight checks pass; a Machine is removed only when
 * the others pass them. New Machines go to the failure domain with fewest up-to-date Machines. A returned delay means
 * "wait, then look again".
 */
public final class ControlPlaneScaling {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneScaling.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final ControlPlaneMachineCreation creation;
  private final EtcdLeadership etcdLeadership;

  public ControlPlaneScaling(KubernetesClient client, ControlPlaneMachineCreation creation, EtcdLeadership leadership,
      EventRecorder events) {
    this.events = events;
    this.client = client;
    this.creation = creation;
    this.etcdLeadership = leadership;
  }

  public Optional<Duration> initialize(ControlPlaneScope scope) {
    ControlPlaneMachines machines = scope.controlPlaneMachines();
    create(scope, false, machines.nextFailureDomainForScaleUp().orElse(""));
    return Optional.empty();
  }

  public Optional<Duration> scaleUp(ControlPlaneScope scope) {
    ControlPlaneMachines machines = scope.controlPlaneMachines();
    PreflightResult preflight = PreflightChecks.check(machines, scope.preflightInputs(), true, Set.of());
    scope.preflight(preflight);
    if (!preflight.succeeded()) {
      LOG.info("Scale up of {}/{} waits for the preflight checks: {}", scope.namespace(),
          scope.kcp().getMetadata().getName(), String.join("; ", preflight.failures()));
      return Optional.of(preflight.requeueAfter());
    }
    create(scope, true, machines.nextFailureDomainForScaleUp().orElse(""));
    return Optional.empty();
  }

  /** Creates a Machine; a failure is also kept for the {@code ScalingUp} condition, so users see it on the KCP. */
  private void create(ControlPlaneScope scope, boolean join, String failureDomain) {
    try {
      creation.create(scope, join, failureDomain);
    } catch (ControlPlaneMachineCreation.MachineCreationException e) {
      scope.machineCreationFailure(e.getMessage());
      throw e;
    }
  }

  public Optional<Duration> scaleDown(ControlPlaneScope scope, Machine machine) {
    PreflightResult preflight = PreflightChecks.check(scope.controlPlaneMachines(), scope.preflightInputs(), false,
        Set.of(MachineFacts.name(machine)));
    scope.preflight(preflight);
    if (!preflight.succeeded()) {
      LOG.info("Scale down of {}/{} waits for the preflight checks: {}", scope.namespace(),
          scope.kcp().getMetadata().getName(), String.join("; ", preflight.failures()));
      return Optional.of(preflight.requeueAfter());
    }
    if (scope.etcdManaged()) {
      // etcd cannot be reached without the Nodes
      if (scope.nodeListError().isPresent()) {
        throw new IllegalStateException("unable to forward etcd leadership: " + scope.nodeListError().get());
      }
      etcdLeadership.moveAwayFrom(scope, machine);
    }
    // the etcd member is removed later, by the kcp-cleanup pre-terminate hook, once the Node is drained
    client.resource(machine).delete();
    CrashPoints.reach("KubeadmControlPlane/scale-down-machine-deleting");
    LOG.info("Machine {}/{} deleting (scale down from {} to {} replicas)", scope.namespace(),
        MachineFacts.name(machine), scope.machines().size(), scope.kcp().getSpec().replicas);
    events.normal(scope.kcp(), "SuccessfulDelete", "Deleting control plane Machine " + MachineFacts.name(machine)
        + " (scale down from " + scope.machines().size() + " to " + scope.kcp().getSpec().replicas + " replicas)");
    return Optional.empty();
  }
}
