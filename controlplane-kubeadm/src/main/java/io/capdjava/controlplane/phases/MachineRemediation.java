package io.capdjava.controlplane.phases;

import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.PreflightChecks;
import io.capdjava.controlplane.machines.RemediationDecision;
import io.capdjava.controlplane.machines.RemediationRetryLimits;
import io.capdjava.controlplane.status.KcpStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remediates control plane Machines a MachineHealthCheck marked unhealthy (upstream
 * {@code reconcileUnhealthyMachines}): first clears {@code OwnerRemediated} from Machines healthy again and a stale
 * {@code remediation-in-progress} annotation, then acts on {@link RemediationDecision}. A remediation moves the etcd
 * leader away if the Machine holds it, deletes the Machine (its etcd member goes in the pre-terminate hook) and records
 * {@code remediation-in-progress} on the KCP; the next scale up creates the replacement, which carries it as
 * {@code remediation-for}. A delay means the reconcile stops here (a Machine was deleted).
 */
public final class MachineRemediation {
  static final String INTERNAL_ERROR_MESSAGE = "Please check controller logs for errors";
  /** The deletion wakes KCP anyway; the delay only ends this reconcile, as upstream's requeue does. */
  static final Duration AFTER_DELETION = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(MachineRemediation.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final OwnerRemediatedCondition ownerRemediated;

  public MachineRemediation(KubernetesClient client, EventRecorder events) {
    this.events = events;
    this.client = client;
    this.ownerRemediated = new OwnerRemediatedCondition(client);
  }

  public Optional<Duration> reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    clearRecovered(scope);
    String inProgress = annotation(kcp);
    if (inProgress != null && RemediationDecision.isStale(inProgress, scope.machines())) {
      LOG.info("{}/{}: removing stale {} annotation {}", scope.namespace(), kcp.getMetadata().getName(),
          KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION, inProgress);
      RemediationInProgressAnnotation.remove(client, kcp);
    }

    RemediationDecision.Outcome outcome = RemediationDecision.decide(inputs(scope));
    if (outcome instanceof RemediationDecision.NoRemediation none) {
      if (annotation(kcp) != null && none.why().startsWith("another")) {
        LOG.info("{}/{}: another remediation is already in progress, skipping remediation", scope.namespace(),
            kcp.getMetadata().getName());
      }
      return Optional.empty();
    }
    if (outcome instanceof RemediationDecision.Refused refused) {
      LOG.info("A control plane Machine {}/{} needs remediation, but: {}. Skipping remediation", scope.namespace(),
          MachineFacts.name(refused.machine()), refused.message());
      ownerRemediated.setFalse(refused.machine(), refused.reason(), refused.message());
      return Optional.empty();
    }
    return remediate(scope, (RemediationDecision.Remediate) outcome);
  }

  private Optional<Duration> remediate(ControlPlaneScope scope, RemediationDecision.Remediate remediation) {
    Machine machine = remediation.machine();
    try {
      if (remediation.etcdLeaderCandidate().isPresent()) {
        forwardEtcdLeadership(scope, machine, remediation.etcdLeaderCandidate().get());
      }
      client.resource(machine).delete();
    } catch (RuntimeException e) {
      try {
        ownerRemediated.setFalse(machine, ControlPlaneConditions.MACHINE_REMEDIATION_INTERNAL_ERROR_REASON,
            INTERNAL_ERROR_MESSAGE);
      } catch (RuntimeException patchFailure) {
        e.addSuppressed(patchFailure);
      }
      throw new IllegalStateException("failed to remediate unhealthy Machine " + scope.namespace() + "/"
          + MachineFacts.name(machine) + ": " + e.getMessage(), e);
    }
    LOG.info("Deleting Machine {}/{} (remediating unhealthy Machine, retry count {})", scope.namespace(),
        MachineFacts.name(machine), remediation.inProgress().retryCount());
    events.warning(scope.kcp(), "Remediating", "Deleting unhealthy control plane Machine " + MachineFacts.name(machine)
        + " (retry count " + remediation.inProgress().retryCount() + ")");
    ownerRemediated.setFalse(machine, ControlPlaneConditions.MACHINE_REMEDIATION_MACHINE_DELETING_REASON,
        "Machine is deleting");
    // the replacement Machine created by the next scale up picks this up as remediation-for
    RemediationInProgressAnnotation.set(client, scope.kcp(), remediation.inProgress().toJson());
    return Optional.of(AFTER_DELETION);
  }

  /**
   * Upstream {@code ForwardEtcdLeadership} to the chosen candidate, only when the Machine's member leads. The leader
   * known from the health inspection spares a connection to a Machine that is probably broken.
   */
  private static void forwardEtcdLeadership(ControlPlaneScope scope, Machine machine, Machine candidate) {
    Optional<String> member = MachineFacts.nodeName(machine);
    if (member.isEmpty()) return;
    Optional<EtcdMember> leader = scope.etcdLeader();
    if (leader.isPresent() && !leader.get().name().equals(member.get())) return;
    String next = MachineFacts.nodeName(candidate).orElseThrow(() ->
        new IllegalStateException("etcd leader candidate " + MachineFacts.name(candidate) + " has no node reference"));
    EtcdLeadership.forward(scope.workload(), member.get(), next);
    LOG.info("Moved etcd leadership away from Machine {}/{} to Machine {} before remediating it", scope.namespace(),
        MachineFacts.name(machine), MachineFacts.name(candidate));
  }

  /** Machines healthy again lose the OwnerRemediated condition KCP left when it could not remediate them. */
  private void clearRecovered(ControlPlaneScope scope) {
    List<String> failures = new ArrayList<>();
    for (Machine machine : RemediationDecision.recovered(scope.machines())) {
      try {
        ownerRemediated.remove(machine);
      } catch (RuntimeException e) {
        failures.add(MachineFacts.name(machine) + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("failed to remove OwnerRemediated from Machines healthy again: "
          + String.join("; ", failures));
    }
  }

  private static RemediationDecision.Inputs inputs(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    return new RemediationDecision.Inputs(
        scope.controlPlaneMachines(),
        KcpStatus.initialized(kcp),
        Optional.ofNullable(annotation(kcp)),
        PreflightChecks.pendingTopologyVersion(scope.cluster(), kcp.getSpec().version),
        RemediationRetryLimits.Settings.of(kcp.getSpec().remediation),
        scope.etcdMembers().orElse(List.of()),
        scope.etcdAlarms(),
        scope.nodeListError().isPresent(),
        m -> PreTerminateHook.etcdMemberName(scope, m),
        scope.reconciliationTime());
  }

  private static String annotation(KubeadmControlPlane kcp) {
    Map<String, String> annotations = kcp.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION);
  }
}
