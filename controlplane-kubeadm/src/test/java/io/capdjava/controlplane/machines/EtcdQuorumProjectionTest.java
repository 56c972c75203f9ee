package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.TestMachines.condition;
import static io.capdjava.controlplane.machines.TestMachines.withNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestTargetEtcdClusterHealthy}: every case, same Machines, same verdicts. */
class EtcdQuorumProjectionTest {

  /**
   * A Machine with Node {@code node-<name>}, its state read from the name as upstream's test names it:
   * {@code -mhc-unhealthy} failed its health check, {@code -unhealthy} has an unhealthy etcd member, {@code -healthy}
   * a healthy one.
   */
  static Machine m(String name) {
    Machine m = TestMachines.machine(name, withNode("node-" + name));
    if (name.endsWith("-mhc-unhealthy")) {
      condition(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, "False").accept(m);
    } else if (name.endsWith("-unhealthy")) {
      condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "False").accept(m);
    } else if (name.endsWith("-healthy")) {
      condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "True").accept(m);
    }
    return m;
  }

  /** One member per Machine with a Node, named after the Node (upstream {@code etcdMembers}). */
  static List<EtcdMember> members(Machine... machines) {
    List<EtcdMember> members = new ArrayList<>();
    long id = 1;
    for (Machine machine : machines) members.add(new EtcdMember(id++, MachineFacts.nodeName(machine).orElseThrow(), false));
    return members;
  }

  static boolean remove(List<Machine> machines, List<EtcdMember> members, Machine removed) {
    return EtcdQuorumProjection.canSafelyTransition(members, machines, List.of(), false,
        MachineFacts.nodeName(removed).orElseThrow());
  }

  static boolean add(List<Machine> machines, List<EtcdMember> members) {
    return EtcdQuorumProjection.canSafelyTransition(members, machines, List.of(), true, "");
  }

  @Test
  void removingAMember() {
    Machine m1 = m("m1-mhc-unhealthy");
    assertFalse(remove(List.of(m1), members(m1), m1), "CP with one Machine");

    Machine m2h = m("m2-etcd-healthy");
    Machine m2u = m("m2-etcd-unhealthy");
    assertTrue(remove(List.of(m1, m2h), members(m1, m2h), m1), "two Machines, no other failure");
    assertTrue(remove(List.of(m1, m2h), members(m2h), m1), "two Machines, member being removed missing");
    assertFalse(remove(List.of(m1, m2u), members(m1, m2u), m1), "two Machines, one more failure");

    Machine m3h = m("m3-etcd-healthy");
    assertTrue(remove(List.of(m1, m2h, m3h), members(m1, m2h, m3h), m1), "three Machines, no other failure");
    assertTrue(remove(List.of(m1, m2h, m3h), members(m2h, m3h), m1), "three Machines, member being removed missing");
    assertFalse(remove(List.of(m1, m2u, m3h), members(m1, m2u, m3h), m1), "three Machines, one more failure");
    assertTrue(remove(List.of(m1, m2u, m3h), members(m1, m3h), m1), "three Machines, another member missing");
    assertTrue(remove(List.of(m1, m2u, m3h), members(m3h), m1), "three Machines, removed and another member missing");

    Machine m3u = m("m3-etcd-unhealthy");
    Machine m4h = m("m4-etcd-healthy");
    Machine m5h = m("m5-etcd-healthy");
    assertTrue(remove(List.of(m1, m2u, m3h, m4h, m5h), members(m1, m2u, m3h, m4h, m5h), m1),
        "five Machines, fewer than 2 more failures");
    assertTrue(remove(List.of(m1, m2u, m3u, m4h, m5h), members(m1, m3u, m4h, m5h), m1),
        "five Machines, missing members but quorum");
    assertFalse(remove(List.of(m1, m2u, m3u, m4h, m5h), members(m1, m2u, m3u, m4h, m5h), m1),
        "five Machines, 2 more failures");

    Machine m4u = m("m4-etcd-unhealthy");
    Machine m6h = m("m6-etcd-healthy");
    Machine m7h = m("m7-etcd-healthy");
    assertTrue(remove(List.of(m1, m2u, m3u, m4h, m5h, m6h, m7h), members(m1, m2u, m3u, m4h, m5h, m6h, m7h), m1),
        "seven Machines, fewer than 3 more failures");
    assertTrue(remove(List.of(m1, m2u, m3u, m4u, m5h, m6h, m7h), members(m1, m3u, m4u, m5h, m6h, m7h), m1),
        "seven Machines, missing members but quorum");
    assertFalse(remove(List.of(m1, m2u, m3u, m4u, m5h, m6h, m7h), members(m1, m2u, m3u, m4u, m5h, m6h, m7h), m1),
        "seven Machines, 3 more failures");
  }

  @Test
  void addingAMember() {
    assertTrue(add(List.of(), List.of()), "CP without Machines");
    Machine m1h = m("m1-healthy");
    Machine m1u = m("m1-unhealthy");
    assertTrue(add(List.of(m1h), members(m1h)), "one Machine");
    assertFalse(add(List.of(m1u), members(m1u)), "one Machine with an unhealthy member");

    Machine m2h = m("m2-healthy");
    Machine m2u = m("m2-unhealthy");
    assertTrue(add(List.of(m1h, m2h), members(m1h, m2h)), "two Machines");
    assertTrue(add(List.of(m1h, m2u), members(m1h)), "two Machines, one member missing");
    assertFalse(add(List.of(m1h, m2u), members(m1h, m2u)), "two Machines, one more failure");

    Machine m3h = m("m3-healthy");
    Machine m3u = m("m3-unhealthy");
    assertTrue(add(List.of(m1h, m2h, m3h), members(m1h, m2h, m3h)), "three Machines");
    assertTrue(add(List.of(m1h, m2u, m3h), members(m1h, m3h)), "three Machines, one member missing");
    assertFalse(add(List.of(m1h, m2u, m3h), members(m1h, m2u, m3h)), "three Machines, one more failure");

    Machine m4h = m("m4-healthy");
    assertTrue(add(List.of(m1h, m2h, m3h, m4h), members(m1h, m2h, m3h, m4h)), "four Machines");
    assertTrue(add(List.of(m1h, m2u, m3h, m4h), members(m1h, m3h, m4h)), "four Machines, one member missing");
    assertTrue(add(List.of(m1h, m2u, m3h, m4h), members(m1h, m2u, m3h, m4h)), "four Machines, one more failure");
    assertFalse(add(List.of(m1h, m2u, m3u, m4h), members(m1h, m2u, m3u, m4h)), "four Machines, two more failures");

    Machine m5h = m("m5-healthy");
    assertTrue(add(List.of(m1h, m2h, m3h, m4h, m5h), members(m1h, m2h, m3h, m4h, m5h)), "five Machines");
    assertFalse(add(List.of(m1h, m2u, m3u, m4h, m5h), members(m1h, m2u, m3u, m4h, m5h)),
        "five Machines, two more failures");
  }

  @Test
  void learnersAndStartingMembersBlockEveryChange() {
    Machine m1h = m("m1-healthy");
    assertFalse(EtcdQuorumProjection.canSafelyTransition(List.of(new EtcdMember(1, "node-m1-healthy", true)),
        List.of(m1h), List.of(), true, ""), "adding with a learner");

    Machine m1 = m("m1-mhc-unhealthy");
    Machine m2 = m("m2-etcd-healthy");
    assertFalse(EtcdQuorumProjection.canSafelyTransition(
        List.of(new EtcdMember(1, "node-m1-mhc-unhealthy", false), new EtcdMember(2, "node-m2-etcd-healthy", true)),
        List.of(m1, m2), List.of(), false, "node-m1-mhc-unhealthy"), "removing with a learner");
    assertFalse(EtcdQuorumProjection.canSafelyTransition(
        List.of(new EtcdMember(1, "node-m1-mhc-unhealthy", false), new EtcdMember(2, "", false)),
        List.of(m1, m2), List.of(), false, "node-m1-mhc-unhealthy"), "removing with a member starting up");
  }

  @Test
  void membersWithoutMachinesCountAsHealthyUnlessTheyRaiseAnAlarm() {
    Machine m1 = m("m1-mhc-unhealthy");
    Machine m2 = m("m2-etcd-healthy");
    List<EtcdMember> members = List.of(new EtcdMember(1, "node-m1-mhc-unhealthy", false), new EtcdMember(2, "foo", false));
    assertFalse(EtcdQuorumProjection.canSafelyTransition(members, List.of(m1, m2),
        List.of(new EtcdAlarm(2, "NOSPACE")), false, "node-m1-mhc-unhealthy"), "alarm on a member staying");
    assertTrue(EtcdQuorumProjection.canSafelyTransition(members, List.of(m1, m2), List.of(), false,
        "node-m1-mhc-unhealthy"), "member without Machine and without alarm");

    Machine m1h = TestMachines.machine("m1-mhc-unhealthy", withNode("node-m1-mhc-unhealthy"),
        condition(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, "True"));
    assertTrue(EtcdQuorumProjection.canSafelyTransition(
        List.of(new EtcdMember(1, "node-m1-mhc-unhealthy", false), new EtcdMember(2, "bar", false)),
        List.of(m1h, m2), List.of(new EtcdAlarm(2, "CORRUPT")), false, "bar"), "alarm on the member being removed");
  }

  @Test
  void projectionReportsQuorumOfTheTargetCluster() {
    Machine a = m("a-healthy");
    Machine b = m("b-healthy");
    Machine c = m("c-healthy");
    EtcdQuorumProjection.Target target =
        EtcdQuorumProjection.project(members(a, b, c), List.of(a, b, c), List.of(), false, "node-a-healthy");
    assertEquals(2, target.voting());
    assertEquals(2, target.quorum());
    assertEquals(0, target.unhealthy());
    assertTrue(target.safe());
  }
}
