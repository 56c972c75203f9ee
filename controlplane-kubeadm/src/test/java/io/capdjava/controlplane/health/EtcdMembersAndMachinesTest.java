package io.capdjava.controlplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineNodeReference;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestCompareMachinesAndMembers}. */
class EtcdMembersAndMachinesTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  static Machine machine(String name, boolean withNode) {
    Machine m = new Machine();
    m.setMetadata(new ObjectMetaBuilder().withName(name).build());
    m.setSpec(new MachineSpec());
    m.setStatus(new MachineStatus());
    if (withNode) {
      m.getStatus().nodeRef = new MachineNodeReference();
      m.getStatus().nodeRef.name = name;
    }
    return m;
  }

  static EtcdMember member(String name) {
    return new EtcdMember(name.hashCode(), name, false);
  }

  static Node node(String name, Duration age) {
    return new NodeBuilder().withNewMetadata().withName(name).withCreationTimestamp(NOW.minus(age).toString())
        .endMetadata().build();
  }

  static EtcdMembersAndMachines compare(List<EtcdMember> members, List<Machine> machines, List<Node> nodes) {
    return EtcdMembersAndMachines.compare(members, machines, nodes, NOW);
  }

  @Test
  void unreadMembersMatchOnlyWhileNoMachineHasANode() {
    assertTrue(compare(null, List.of(machine("m1", false)), List.of()).matching());
    assertFalse(compare(null, List.of(machine("m1", true)), List.of()).matching());
  }

  @Test
  void oneMemberPerMachineMatches() {
    EtcdMembersAndMachines result = compare(List.of(member("m1"), member("m2")),
        List.of(machine("m1", true), machine("m2", true)), List.of());
    assertTrue(result.matching());
    assertEquals(List.of(), result.kcpErrors());
  }

  @Test
  void aMachineWithoutMemberIsExpectedWhileItsNodeIsNewOrAnotherIsProvisioning() {
    List<EtcdMember> two = List.of(member("m1"), member("m2"));
    assertTrue(compare(two, List.of(machine("m1", true), machine("m2", true), machine("m3", false)), List.of())
        .matching());
    assertTrue(compare(two, List.of(machine("m1", true), machine("m2", true), machine("m3", true)), List.of())
        .matching(), "no Node found for m3: it does not exist yet");
    assertTrue(compare(two, List.of(machine("m1", true), machine("m2", true), machine("m3", true)),
        List.of(node("m3", Duration.ofSeconds(110)))).matching());

    Machine old = machine("m3", true);
    assertFalse(compare(two, List.of(machine("m1", true), machine("m2", true), old),
        List.of(node("m3", Duration.ofMinutes(10)))).matching());
    assertEquals("Etcd doesn't have an etcd member for Node m3",
        Conditions.get(old.getStatus().conditions, "EtcdMemberHealthy").orElseThrow().getMessage());
  }

  @Test
  void aMemberWithoutMachineIsAControlPlaneError() {
    EtcdMembersAndMachines result = compare(List.of(member("m1"), member("m2")), List.of(machine("m1", true)),
        List.of());
    assertFalse(result.matching());
    assertEquals(List.of("Etcd member m2 does not have a corresponding Machine"), result.kcpErrors());

    EtcdMembersAndMachines provisioning = compare(List.of(member("m1"), new EtcdMember(42, "", true)),
        List.of(machine("m1", true), machine("m2", false)), List.of());
    assertTrue(provisioning.matching(), "the new member probably is the provisioning Machine's");
    assertEquals(List.of("Etcd member 42 (Name not yet assigned) does not have a corresponding Machine"),
        provisioning.kcpErrors());
  }
}
