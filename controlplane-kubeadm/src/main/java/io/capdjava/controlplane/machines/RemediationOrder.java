package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which Machines KCP remediates and which one first (upstream {@code MachinesToBeRemediatedByKCP} and
 * {@code getMachineToBeRemediated}). A MachineHealthCheck hands a Machine over by setting
 * {@code HealthCheckSucceeded=False} and {@code OwnerRemediated=False}; Machines it skips (e.g. with
 * {@code cluster.x-k8s.io/skip-remediation}) never get there. Among several, the "most broken" goes first, so the
 * replacement has the best chance to pass the scale-up checks: the {@code remediate-machine} annotation, then no Node,
 * then etcd member, etcd pod, API server, controller manager, scheduler, Node labels and taints not healthy; oldest,
 * then name, last.
 */
public final class RemediationOrder {
  private RemediationOrder() {}

  /** Machines a MachineHealthCheck found unhealthy, whether or not KCP is asked to remediate them. */
  public static boolean isUnhealthy(Machine machine) {
    return MachineFacts.isFalse(machine, Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED);
  }

  /** Machines KCP is asked to remediate. */
  public static boolean isToBeRemediated(Machine machine) {
    return isUnhealthy(machine) && MachineFacts.isFalse(machine, Contract.MachineCondition.OWNER_REMEDIATED);
  }

  public static List<Machine> toBeRemediated(Collection<Machine> machines) {
    return machines.stream().filter(RemediationOrder::isToBeRemediated).toList();
  }

  /** The Machine to remediate first among {@code candidates}. */
  public static Optional<Machine> mostBroken(Collection<Machine> candidates, boolean etcdManaged) {
    return candidates.stream().min(comparator(etcdManaged));
  }

  /** Orders Machines most broken first. */
  public static Comparator<Machine> comparator(boolean etcdManaged) {
    Comparator<Machine> order = Comparator
        .comparing((Machine m) -> !MachineFacts.hasAnnotation(m, Contract.Annotation.REMEDIATE_MACHINE))
        .thenComparing(MachineFacts::hasNode);
    for (String type : issueConditions(etcdManaged)) {
      // a condition not True (False, Unknown or missing) is an issue
      order = order.thenComparing(m -> MachineFacts.isTrue(m, type));
    }
    return order.thenComparing(MachineFacts.OLDEST_FIRST);
  }

  private static List<String> issueConditions(boolean etcdManaged) {
    List<String> types = new ArrayList<>();
    if (etcdManaged) {
      types.add(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY);
      types.add(ControlPlaneConditions.MACHINE_ETCD_POD_HEALTHY);
    }
    types.add(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY);
    types.add(ControlPlaneConditions.MACHINE_CONTROLLER_MANAGER_POD_HEALTHY);
    types.add(ControlPlaneConditions.MACHINE_SCHEDULER_POD_HEALTHY);
    types.add(ControlPlaneConditions.MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET);
    return types;
  }
}
