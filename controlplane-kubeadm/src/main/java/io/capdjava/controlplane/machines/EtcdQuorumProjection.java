package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Whether the etcd cluster keeps its quorum after adding and/or removing a member (upstream
 * {@code targetEtcdClusterHealthy}). The target cluster is projected from the current members: the member to remove
 * is dropped; an added member counts as voting and, when more than one member exists, as unhealthy (worst case);
 * members without a name are starting learners and unhealthy. A member's health is its Machine's
 * {@code EtcdMemberHealthy} condition, or, without a Machine, the absence of alarms. The transition is safe when
 * {@code voting - unhealthy >= voting/2 + 1} and no learner is left.
 */
public final class EtcdQuorumProjection {
  private EtcdQuorumProjection() {}

  /** The projected target cluster, kept for messages and tests. */
  public record Target(int voting, int learners, int unhealthy, int quorum, boolean safe) {}

  public static Target project(
      List<EtcdMember> members,
      Collection<Machine> machines,
      List<EtcdAlarm> alarms,
      boolean addMember,
      String memberToRemove) {
    int voting = 0;
    int learners = 0;
    int unhealthy = 0;
    if (addMember) {
      voting = 1;
      if (members.size() > 1) unhealthy++;
    }
    for (EtcdMember member : members) {
      if (!member.hasName()) {
        learners++;
        unhealthy++;
        continue;
      }
      if (member.name().equals(memberToRemove)) continue;
      if (member.learner()) learners++;
      else voting++;
      Optional<Machine> machine = machines.stream()
          .filter(m -> MachineFacts.nodeName(m).filter(member.name()::equals).isPresent())
          .findFirst();
      boolean healthy = machine
          .map(m -> MachineFacts.isTrue(m, ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY))
          .orElseGet(() -> alarms.stream().noneMatch(a -> a.isRaised() && a.memberId() == member.id()));
      if (!healthy) unhealthy++;
    }
    int quorum = voting / 2 + 1;
    boolean safe = voting - unhealthy >= quorum && learners == 0;
    return new Target(voting, learners, unhealthy, quorum, safe);
  }

  public static boolean canSafelyTransition(
      List<EtcdMember> members,
      Collection<Machine> machines,
      List<EtcdAlarm> alarms,
      boolean addMember,
      String memberToRemove) {
    return project(members, machines, alarms, addMember, memberToRemove).safe();
  }
}
