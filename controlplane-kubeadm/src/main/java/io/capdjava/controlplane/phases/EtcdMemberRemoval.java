package io.capdjava.controlplane.phases;

import io.capdjava.controlplane.health.NodeFacts;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.workload.WorkloadCluster;
import io.capdjava.controlplane.workload.etcd.EtcdClient;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/**
 * Removes an etcd member (upstream {@code RemoveEtcdMember}), asking another member: the one leaving may already be
 * gone. The member list read first goes through raft, so it also proves the rest of the cluster is healthy. Never
 * removes the last member. Whether removing it keeps quorum is the caller's check.
 */
final class EtcdMemberRemoval {
  private EtcdMemberRemoval() {}

  static void remove(WorkloadCluster workload, EtcdMember member, List<Node> nodes) {
    List<String> others = nodes.stream().map(NodeFacts::name).filter(n -> !n.equals(member.name())).toList();
    try (EtcdClient client = workload.etcdClientForFirstAvailableNode(others)) {
      List<EtcdMember> members = client.members();
      if (members.stream().noneMatch(m -> m.id() == member.id())) return;
      if (members.size() == 1) throw new IllegalStateException("cannot remove the last etcd member in the cluster");
      client.removeMember(member.id());
    }
  }
}
