package io.capdjava.controlplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.EtcdAlarm;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code updateManagedEtcdConditions}: a Machine's etcd member health from the member list and alarms. */
class EtcdInspectionTest {
  static final List<EtcdMember> MEMBERS = List.of(new EtcdMember(1, "m1", false), new EtcdMember(2, "m2", true));

  @Test
  void aVotingMemberWithoutAlarmsIsHealthy() {
    assertEquals(new StaticPodHealth.Verdict("True", "Healthy", ""),
        EtcdInspection.memberHealth(EtcdMembersAndMachinesTest.machine("m1", true), MEMBERS, List.of()));
  }

  @Test
  void aMissingMemberALearnerAndAlarmsAreNotHealthy() {
    assertEquals(new StaticPodHealth.Verdict("False", "NotHealthy", "Etcd reports the cluster is composed by [m1 m2],"
            + " but the etcd member hosted on Machine m3 (m3) is not included"),
        EtcdInspection.memberHealth(EtcdMembersAndMachinesTest.machine("m3", true), MEMBERS, List.of()));
    assertEquals(new StaticPodHealth.Verdict("False", "NotHealthy", "Waiting for learner etcd member to be promoted"),
        EtcdInspection.memberHealth(EtcdMembersAndMachinesTest.machine("m2", true), MEMBERS, List.of()));
    assertEquals(new StaticPodHealth.Verdict("False", "NotHealthy", "Etcd reports alarms: NOSPACE, CORRUPT"),
        EtcdInspection.memberHealth(EtcdMembersAndMachinesTest.machine("m1", true), MEMBERS,
            List.of(new EtcdAlarm(1, "NOSPACE"), new EtcdAlarm(2, "CORRUPT"), new EtcdAlarm(1, "CORRUPT"),
                new EtcdAlarm(1, "NONE"))));
  }

  @Test
  void etcdIsAskedOnNodesWhoseMemberWasHealthyFirst() {
    Machine unknown = EtcdMembersAndMachinesTest.machine("m1", true);
    Machine healthy = EtcdMembersAndMachinesTest.machine("m2", true);
    healthy.getStatus().conditions = new java.util.ArrayList<>(List.of(Conditions.isTrue("EtcdMemberHealthy", "r", 1L)));
    Machine withoutNodeObject = EtcdMembersAndMachinesTest.machine("m3", true);
    List<Node> nodes = List.of(node("m1"), node("m2"), node("other"));
    assertEquals(List.of("m2", "m1"),
        EtcdInspection.nodesByLastKnownHealth(List.of(unknown, healthy, withoutNodeObject), nodes));
  }

  static Node node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
  }
}
