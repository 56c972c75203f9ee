package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that keep KCP to one operation at a time (upstream {@code preflightChecks}): a Machine is added or
 * removed only when no Machine is deleting, certificates exist (scale up), a topology upgrade is not pending, and every
 * other Machine has a Node with healthy control plane components and etcd member. The health conditions are inputs
 * (KCP sets them on the Machines from the workload cluster).
 */
public final class PreflightChecks {
  private PreflightChecks() {}

  /**
   * What the checks read besides the Machines.
   *
   * @param certificatesAvailable the KCP's {@code CertificatesAvailable} condition is True
   * @param pendingTopologyVersion the version a Cluster topology waits to propagate, when it differs from KCP's
   * @param remediationInProgress the KCP carries {@code controlplane.cluster.x-k8s.io/remediation-in-progress}
   * @param etcdMembers the etcd members last read (empty when unknown)
   * @param etcdAlarms the etcd alarms last read
   */
  public record Inputs(
      boolean certificatesAvailable,
      Optional<String> pendingTopologyVersion,
      boolean remediationInProgress,
      List<EtcdMember> etcdMembers,
      List<EtcdAlarm> etcdAlarms) {}

  public static PreflightResult check(
      ControlPlaneMachines controlPlane, Inputs inputs, boolean isScaleUp, Set<String> excluded) {
    if (controlPlane.size() == 0) return PreflightResult.PASSED;

    if (inputs.pendingTopologyVersion().isPresent()) {
      return failed(false, false, false, false, true, PreflightResult.PREFLIGHT_FAILED_REQUEUE,
          List.of("Waiting for a version upgrade to " + inputs.pendingTopologyVersion().get() + " to be propagated"));
    }
    if (isScaleUp && !inputs.certificatesAvailable()) {
      return failed(false, true, false, false, false, PreflightResult.PREFLIGHT_FAILED_REQUEUE,
          List.of("Certificates are missing or unknown, can't join a new machine"));
    }
    if (controlPlane.hasDeletingMachine()) {
      List<String> names = controlPlane.deletingMachines().stream().map(MachineFacts::name).sorted().toList();
      return failed(true, false, false, false, false, PreflightResult.DELETE_REQUEUE,
          List.of("Waiting for machines to be deleted: " + String.join(", ", names)));
    }

    Health health = checkHealthiness(controlPlane, excluded);
    if (!health.failures.isEmpty() && inputs.remediationInProgress() && isScaleUp) {
      health = checkWhileRemediationInProgress(controlPlane, inputs);
    }
    if (!health.failures.isEmpty()) {
      return failed(false, false, health.componentsNotHealthy, health.etcdNotHealthy, false,
          PreflightResult.PREFLIGHT_FAILED_REQUEUE, health.failures);
    }
    return PreflightResult.PASSED;
  }

  /**
   * The version a managed topology still has to propagate to the KCP: {@code spec.topology.version} (or the upgrade
   * step in progress) when it differs from the KCP's version; empty without a topology.
   */
  public static Optional<String> pendingTopologyVersion(Cluster cluster, String kcpVersion) {
    if (cluster == null || cluster.getSpec() == null) return Optional.empty();
    if (!(cluster.getSpec().getUnknownFields().get("topology") instanceof Map<?, ?> topology)) return Optional.empty();
    String topologyVersion = topology.get("version") instanceof String v ? v : "";
    if (topologyVersion.isEmpty()) return Optional.empty();
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    String step = annotations == null ? "" : annotations.getOrDefault(Contract.Annotation.TOPOLOGY_UPGRADE_STEP, "");
    if (!step.isEmpty() && step.equals(kcpVersion)) return Optional.empty();
    if (topologyVersion.equals(kcpVersion)) return Optional.empty();
    return Optional.of(step.isEmpty() ? topologyVersion : step);
  }

  private record Health(boolean componentsNotHealthy, boolean etcdNotHealthy, List<String> failures) {}

  private static Health checkHealthiness(ControlPlaneMachines controlPlane, Set<String> excluded) {
    boolean componentsNotHealthy = false;
    boolean etcdNotHealthy = false;
    List<String> failures = new ArrayList<>();
    List<String> conditions = ControlPlaneConditions.componentHealthConditions(controlPlane.etcdManaged());
    for (Machine machine : controlPlane.machines().stream().sorted(MachineFacts.OLDEST_FIRST).toList()) {
      String name = MachineFacts.name(machine);
      if (excluded.contains(name)) continue;
      if (!MachineFacts.hasNode(machine)) {
        // conditions are only set once a Machine has a Node, so point at the missing Node, the root cause
        failures.add("Machine " + name + " does not have a corresponding Node yet (Machine.status.nodeRef not set)");
        componentsNotHealthy = true;
        if (controlPlane.etcdManaged()) etcdNotHealthy = true;
        continue;
      }
      for (String type : conditions) {
        Optional<String> failure = conditionFailure(machine, type);
        if (failure.isEmpty()) continue;
        failures.add(failure.get());
        if (type.equals(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY)) etcdNotHealthy = true;
        else componentsNotHealthy = true;
      }
    }
    return new Health(componentsNotHealthy, etcdNotHealthy, failures);
  }

  /** The relaxed check after a remediation: adding one (possibly unhealthy) Machine must keep one healthy set. */
  private static Health checkWhileRemediationInProgress(ControlPlaneMachines controlPlane, Inputs inputs) {
    boolean componentsNotHealthy = false;
    boolean etcdNotHealthy = false;
    List<String> failures = new ArrayList<>();
    if (!ControlPlaneComponentsProjection.canSafelyTransition(
        controlPlane.machines(), controlPlane.etcdManaged(), true, "")) {
      componentsNotHealthy = true;
      failures.add("cannot add a new control plane Machine when there are no control plane Machines with all"
          + " Kubernetes control plane components in healthy state. Please check Kubernetes control plane component"
          + " status");
    }
    if (controlPlane.etcdManaged()) {
      if (inputs.etcdMembers().isEmpty()) {
        failures.add("cannot check etcd cluster health before scale up, etcd member list is empty");
      } else if (!EtcdQuorumProjection.canSafelyTransition(
          inputs.etcdMembers(), controlPlane.machines(), inputs.etcdAlarms(), true, "")) {
        etcdNotHealthy = true;
        failures.add("adding a new control plane Machine can lead to etcd quorum loss. Please check the etcd status");
      }
    }
    return new Health(componentsNotHealthy, etcdNotHealthy, failures);
  }

  /** Upstream {@code preflightCheckCondition}: missing, False and Unknown all fail, each with its own message. */
  static Optional<String> conditionFailure(Machine machine, String type) {
    String name = MachineFacts.name(machine);
    Optional<Condition> c = MachineFacts.condition(machine, type);
    if (c.isEmpty()) return Optional.of("Machine " + name + " does not have " + type + " condition");
    String message = c.get().getMessage() == null ? "" : c.get().getMessage();
    if (Conditions.FALSE.equals(c.get().getStatus())) {
      return Optional.of("Machine " + name + " reports " + type + " condition is false (" + message + ")");
    }
    if (Conditions.UNKNOWN.equals(c.get().getStatus())) {
      return Optional.of("Machine " + name + " reports " + type + " condition is unknown (" + message + ")");
    }
    return Optional.empty();
  }

  private static PreflightResult failed(
      boolean deleting, boolean certificates, boolean components, boolean etcd, boolean topology,
      Duration requeue, List<String> failures) {
    return new PreflightResult(false, deleting, certificates, components, etcd, topology, requeue, failures);
  }
}
