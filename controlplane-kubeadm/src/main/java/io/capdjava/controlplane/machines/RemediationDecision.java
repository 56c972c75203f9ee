package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What KCP does about unhealthy control plane Machines in one reconcile (the decisions of upstream
 * {@code reconcileUnhealthyMachines}), without I/O. At most one Machine is remediated at a time: the most broken one
 * ({@link RemediationOrder}), not while an earlier remediation waits for its replacement, and within the retry limits
 * ({@link RemediationRetryLimits}). Before the control plane is initialized the first Machine is simply replaced. Once
 * initialized, KCP only deletes a Machine when the cluster is not in transition (no Machine provisioning or deleting)
 * and the rest keeps a full set of control plane components and etcd quorum; the etcd leader moves to the newest
 * Machine the health check finds healthy. When KCP refuses, it says why in the Machine's {@code OwnerRemediated}
 * condition and the reconcile goes on with other operations.
 */
public final class RemediationDecision {
  private RemediationDecision() {}

  /**
   * What the decision reads.
   *
   * @param controlPlane the Machines
   * @param initialized the KCP's {@code status.initialization.controlPlaneInitialized}
   * @param remediationInProgress the KCP's {@code remediation-in-progress} annotation, without a stale one
   * @param pendingTopologyVersion a version the Cluster topology still has to propagate to the KCP
   * @param settings {@code spec.remediation}
   * @param etcdMembers the etcd members the health inspection read (empty when not read)
   * @param etcdAlarms the etcd alarms it read
   * @param nodeListFailed the control plane Nodes could not be listed
   * @param etcdMemberName the etcd member of a Machine (its Node's name, found by providerID without a nodeRef)
   * @param now the reconciliation time
   */
  public record Inputs(
      ControlPlaneMachines controlPlane,
      boolean initialized,
      Optional<String> remediationInProgress,
      Optional<String> pendingTopologyVersion,
      RemediationRetryLimits.Settings settings,
      List<EtcdMember> etcdMembers,
      List<EtcdAlarm> etcdAlarms,
      boolean nodeListFailed,
      Function<Machine, Optional<String>> etcdMemberName,
      Instant now) {}

  public sealed interface Outcome {}

  /** Nothing to do now; the reconcile goes on. */
  public record NoRemediation(String why) implements Outcome {}

  /** The Machine waits; its {@code OwnerRemediated} condition says why; the reconcile goes on. */
  public record Refused(Machine machine, String reason, String message) implements Outcome {}

  /**
   * Delete the Machine, after moving etcd leadership to {@code etcdLeaderCandidate} if it holds it, and record
   * {@code inProgress} on the KCP.
   */
  public record Remediate(Machine machine, RemediationData inProgress, Optional<Machine> etcdLeaderCandidate)
      implements Outcome {}

  /** Machines healthy again whose {@code OwnerRemediated} condition (from a refused remediation) goes away. */
  public static List<Machine> recovered(List<Machine> machines) {
    return machines.stream()
        .filter(m -> !MachineFacts.isDeleting(m))
        .filter(m -> MachineFacts.isTrue(m, Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED)
            && MachineFacts.isFalse(m, Contract.MachineCondition.OWNER_REMEDIATED))
        .toList();
  }

  /**
   * A {@code remediation-in-progress} annotation left behind (e.g. KCP stopped between creating the replacement and
   * removing it): some Machine is newer than the remediation it records.
   */
  public static boolean isStale(String remediationInProgress, List<Machine> machines) {
    RemediationData data = RemediationData.parse(remediationInProgress);
    if (data.timestamp().isEmpty()) return !machines.isEmpty();
    Instant at = data.timestamp().get();
    return machines.stream().anyMatch(m -> MachineFacts.created(m).isAfter(at));
  }

  public static Outcome decide(Inputs in) {
    ControlPlaneMachines controlPlane = in.controlPlane();
    List<Machine> candidates = RemediationOrder.toBeRemediated(controlPlane.machines());
    Optional<Machine> first = RemediationOrder.mostBroken(candidates, controlPlane.etcdManaged());
    if (first.isEmpty()) return new NoRemediation("no Machine to be remediated");
    Machine machine = first.get();
    if (MachineFacts.isDeleting(machine)) {
      return new NoRemediation("Machine " + MachineFacts.name(machine) + " is deleting");
    }
    if (in.remediationInProgress().isPresent()) {
      return new NoRemediation("another remediation is already in progress");
    }

    if (in.pendingTopologyVersion().isPresent()) {
      return new Refused(machine, ControlPlaneConditions.MACHINE_REMEDIATION_DEFERRED_REASON,
          "KubeadmControlPlane can't remediate while waiting for a version upgrade to "
              + in.pendingTopologyVersion().get() + " to be propagated from Cluster.spec.topology");
    }
    RemediationRetryLimits.Verdict retry = RemediationRetryLimits.check(machine, in.settings(), in.now());
    if (!retry.allowed()) return new Refused(machine, retry.reason(), retry.message());
    if (!in.initialized()) {
      // the first control plane Machine never came up: nothing to preserve
      return new Remediate(machine, retry.inProgress(), Optional.empty());
    }

    if (controlPlane.size() <= 1) {
      return cannot(machine, "KubeadmControlPlane can't remediate if current replicas are less or equal to 1");
    }
    if (controlPlane.machines().stream().anyMatch(m -> !RemediationOrder.isUnhealthy(m) && !MachineFacts.hasNode(m))) {
      return deferred(machine, "KubeadmControlPlane waiting for control plane Machine provisioning to complete before"
          + " triggering remediation");
    }
    if (controlPlane.hasDeletingMachine()) {
      return deferred(machine, "KubeadmControlPlane waiting for control plane Machine deletion to complete before"
          + " triggering remediation");
    }
    if (in.nodeListFailed() || (controlPlane.etcdManaged() && in.etcdMembers().isEmpty())) {
      return deferred(machine, "Failed to check etcd cluster health before remediation");
    }
    if (!canSafelyRemediate(in, machine)) {
      return cannot(machine, "KubeadmControlPlane can't remediate this Machine because this could result in loosing"
          + " Kubernetes control plane components or in etcd quorum loss");
    }
    if (!controlPlane.etcdManaged()) return new Remediate(machine, retry.inProgress(), Optional.empty());

    Optional<Machine> leaderCandidate = controlPlane.machines().stream()
        .filter(m -> !RemediationOrder.isUnhealthy(m) && !MachineFacts.isDeleting(m))
        .max(MachineFacts.OLDEST_FIRST);
    if (leaderCandidate.isEmpty()) {
      return cannot(machine, "KubeadmControlPlane can't remediate this Machine because there is no healthy Machine to"
          + " forward etcd leadership to");
    }
    return new Remediate(machine, retry.inProgress(), leaderCandidate);
  }

  /**
   * Upstream {@code canSafelyRemediateMachine}: without the Machine another one keeps healthy control plane
   * components and etcd keeps quorum. A Machine whose etcd member cannot be named (no Node found) is remediated: the
   * member may never show up, and the MachineHealthCheck expressed the user's intent.
   */
  static boolean canSafelyRemediate(Inputs in, Machine machine) {
    ControlPlaneMachines controlPlane = in.controlPlane();
    if (!ControlPlaneComponentsProjection.canSafelyTransition(controlPlane.machines(), controlPlane.etcdManaged(),
        false, MachineFacts.name(machine))) {
      return false;
    }
    if (!controlPlane.etcdManaged()) return true;
    Optional<String> member = in.etcdMemberName().apply(machine);
    if (member.isEmpty()) return true;
    if (in.etcdMembers().isEmpty()) return false;
    return EtcdQuorumProjection.canSafelyTransition(in.etcdMembers(), controlPlane.machines(), in.etcdAlarms(), false,
        member.get());
  }

  private static Refused deferred(Machine machine, String message) {
    return new Refused(machine, ControlPlaneConditions.MACHINE_REMEDIATION_DEFERRED_REASON, message);
  }

  private static Refused cannot(Machine machine, String message) {
    return new Refused(machine, ControlPlaneConditions.MACHINE_CANNOT_BE_REMEDIATED_REASON, message);
  }
}
