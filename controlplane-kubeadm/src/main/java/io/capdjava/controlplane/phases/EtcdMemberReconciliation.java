package io.capdjava.controlplane.phases;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.health.NodeFacts;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.EtcdQuorumProjection;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.status.KcpStatus;
import io.capdjava.core.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the etcd members in line with the Machines (upstream {@code reconcileEtcdMembers}): a member whose Node has no
 * Machine is removed, one per reconcile, when that keeps quorum. A safety net for a member the pre-terminate hook did
 * not remove, or one added by hand. Members that may belong to a Machine still coming up are left alone.
 */
public final class EtcdMemberReconciliation {
  /** A registered Node's etcd member may still be an unnamed learner for this long (upstream's grace period). */
  static final Duration MEMBER_STARTUP_GRACE = Duration.ofSeconds(20);
  static final Duration AFTER_REMOVAL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(EtcdMemberReconciliation.class);

  /** A delay after removing a member (look again soon), empty when there was nothing to do. */
  public Optional<Duration> reconcile(ControlPlaneScope scope) {
    if (!scope.etcdManaged() || scope.machines().isEmpty()) return Optional.empty();
    List<EtcdMember> members = scope.etcdMembers().orElse(List.of());
    if (members.isEmpty()) return Optional.empty();
    if (scope.nodeListError().isPresent()) {
      throw new IllegalStateException("unable to reconcile etcd members: " + scope.nodeListError().get());
    }
    // inconsistencies show in EtcdClusterHealthy: when it is True there are none
    if (Conditions.isTrue(KcpStatus.conditions(scope.kcp()), ControlPlaneConditions.ETCD_CLUSTER_HEALTHY)) {
      return Optional.empty();
    }

    List<String> provisioning = new ArrayList<>();
    List<String> newlyRegistered = new ArrayList<>();
    for (Machine machine : scope.machines()) {
      Optional<String> node = MachineFacts.nodeName(machine);
      if (node.isEmpty()) {
        provisioning.add(MachineFacts.name(machine));
        continue;
      }
      if (!MachineFacts.isDeleting(machine) && scope.nodes().stream().anyMatch(n -> NodeFacts.name(n).equals(node.get())
          && Duration.between(NodeFacts.created(n), scope.reconciliationTime()).compareTo(MEMBER_STARTUP_GRACE) < 0)) {
        newlyRegistered.add(MachineFacts.name(machine));
      }
    }
    Set<String> expected = scope.machines().stream().map(MachineFacts::nodeName).flatMap(Optional::stream)
        .collect(Collectors.toSet());
    List<EtcdMember> unexpected = members.stream().filter(m -> !expected.contains(m.name()))
        .sorted(Comparator.comparing(EtcdMember::name)).toList();
    if (unexpected.isEmpty()) return Optional.empty();
    String unexpectedNames = unexpected.stream().map(m -> m.hasName() ? m.name() : "(Name not yet assigned)").sorted()
        .collect(Collectors.joining(", "));

    // an unexpected member may be the one of a Machine that has no Node yet
    if (!provisioning.isEmpty()) {
      LOG.info("Etcd members {} without corresponding Machines, potential match with machines with newly provisioned"
          + " nodes {}", unexpectedNames, String.join(", ", provisioning));
      return Optional.empty();
    }
    // kubeadm adds a learner before the member's pod starts and names it: keep it while a Node is new
    if (unexpected.stream().anyMatch(m -> !m.hasName()) && !newlyRegistered.isEmpty()) {
      LOG.info("Etcd members {} without corresponding Machines, potential match with machines with newly provisioned"
          + " nodes {}", unexpectedNames, String.join(", ", newlyRegistered));
      return Optional.empty();
    }

    EtcdMember toRemove = unexpected.get(0);
    String label = toRemove.hasName() ? toRemove.name() : "(Name not yet assigned)";
    LOG.info("Etcd members {} without corresponding Machines, removing member {}", unexpectedNames, label);
    // an unnamed member never started and counts for nothing; a named one must not cost the quorum
    if (toRemove.hasName() && !EtcdQuorumProjection.canSafelyTransition(members, scope.machines(), scope.etcdAlarms(),
        false, toRemove.name())) {
      throw new IllegalStateException("etcd member " + label + " does not have a corresponding Machine, it must be"
          + " removed from the cluster but this operation can lead to quorum loss. Please check the etcd status");
    }
    try {
      EtcdMemberRemoval.remove(scope.workload(), toRemove, scope.nodes());
    } catch (RuntimeException e) {
      throw new IllegalStateException("failed to remove etcd member " + label + ". Please check the etcd status: "
          + e.getMessage(), e);
    }
    LOG.info("Etcd member without a corresponding Machine removed from the cluster: {}", label);
    return Optional.of(AFTER_REMOVAL);
  }
}
