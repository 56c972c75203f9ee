package io.capdjava.controlplane.phases;

import io.capdjava.core.CrashPoints;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.workload.WorkloadCluster;
import io.capdjava.controlplane.workload.etcd.EtcdClient;
import io.capdjava.core.Contract;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves etcd leadership away from a Machine about to lose its member (upstream {@code forwardEtcdLeadership}), so the
 * cluster does not go through an election when it goes. The new leader is the most reliable other Machine: healthy
 * member first, then healthy per MachineHealthCheck, then up to date, then the newest.
 */
public final class EtcdLeadership {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdLeadership.class);

  public void moveAwayFrom(ControlPlaneScope scope, Machine machine) {
    EtcdMember leader = scope.etcdLeader().orElseThrow(() ->
        new IllegalStateException("unable to move etcd leadership, failed to detect etcd leader"));
    Optional<String> nodeName = MachineFacts.nodeName(machine);
    // without a Node there is no member name to compare with; kubeadm names the member after the Node
    if (nodeName.isEmpty() || !nodeName.get().equals(leader.name())) return;

    List<Machine> candidates = candidates(scope.machines(), machine);
    if (candidates.isEmpty()) {
      throw new IllegalStateException("unable to move etcd leadership, no candidate machines for etcd leadership found");
    }
    WorkloadCluster workload = scope.workload();
    for (Machine candidate : candidates) {
      try {
        forward(workload, nodeName.get(), MachineFacts.nodeName(candidate).orElseThrow());
        LOG.info("Moved etcd leadership from Machine {}/{} to Machine {}", scope.namespace(), MachineFacts.name(machine),
            MachineFacts.name(candidate));
        return;
      } catch (RuntimeException e) {
        LOG.warn("Failed to move etcd leadership from Machine {}/{} to Machine {}: {}", scope.namespace(),
            MachineFacts.name(machine), MachineFacts.name(candidate), e.getMessage());
      }
    }
    throw new IllegalStateException("failed to move etcd leadership away from Machine " + MachineFacts.name(machine));
  }

  /** Upstream {@code ForwardEtcdLeadership}: asks the leader itself, and only if it still is the leader. */
  static void forward(WorkloadCluster workload, String fromMember, String toMember) {
    try (EtcdClient client = workload.etcdClientForFirstAvailableNode(List.of(fromMember))) {
      List<EtcdMember> members = client.members();
      Optional<EtcdMember> current = members.stream().filter(m -> m.name().equals(fromMember)).findFirst();
      if (current.isEmpty() || current.get().id() != client.leaderId()) return;
      EtcdMember next = members.stream().filter(m -> m.name().equals(toMember)).findFirst().orElseThrow(() ->
          new IllegalStateException("failed to get etcd member for leader candidate \"" + toMember + "\""));
      client.moveLeader(next.id());
      CrashPoints.reach("KubeadmControlPlane/etcd-leader-moved");
    }
  }

  /** Upstream {@code getCandidatesForEtcdLeadership}: other Machines with a Node, not deleting, best first. */
  static List<Machine> candidates(List<Machine> machines, Machine leaving) {
    return machines.stream()
        .filter(MachineFacts::hasNode)
        .filter(m -> !MachineFacts.isDeleting(m))
        .filter(m -> !MachineFacts.name(m).equals(MachineFacts.name(leaving)))
        .sorted(Comparator
            .comparing((Machine m) -> !MachineFacts.isTrue(m, ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY))
            .thenComparing(m -> !MachineFacts.isTrue(m, Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED))
            .thenComparing(m -> !MachineFacts.isTrue(m, Contract.MachineCondition.UP_TO_DATE))
            .thenComparing(MachineFacts::created, Comparator.reverseOrder()))
        .toList();
  }
}
