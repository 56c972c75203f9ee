package io.capdjava.controlplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestAggregateConditionsFromMachinesToKCP}. */
class MachinesToControlPlaneConditionTest {
  static final MachinesToControlPlaneCondition.Target TARGET = new MachinesToControlPlaneCondition.Target(
      "EtcdClusterHealthy", "true reason", "false reason", "unknown reason", "something");

  static Machine machine(String name, String ready, boolean providerId) {
    Machine m = new Machine();
    m.setMetadata(new ObjectMetaBuilder().withName(name).build());
    m.setSpec(new MachineSpec());
    if (providerId) m.getSpec().providerID = "docker:////" + name;
    m.setStatus(new MachineStatus());
    m.getStatus().conditions = new ArrayList<>(List.of(Conditions.of("Ready", ready, "r",
        ready.equals("True") ? "" : "ready condition is " + ready, 1L)));
    return m;
  }

  static Condition aggregate(List<Machine> machines, List<String> kcpErrors) {
    return MachinesToControlPlaneCondition.aggregate(machines, List.of("Ready"), kcpErrors, TARGET, 3L);
  }

  static void assertCondition(Condition c, String status, String reason, String message) {
    assertEquals(List.of("EtcdClusterHealthy", status, reason, message, 3L),
        List.of(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getObservedGeneration()));
  }

  @Test
  void machinesWithErrorsAreGroupedByMessageMostMachinesFirst() {
    assertCondition(aggregate(List.of(machine("m2", "False", false), machine("m4", "Unknown", true),
            machine("m1", "False", false), machine("m3", "True", false)), List.of()),
        "False", "false reason", "* Machines m1, m2:\n  * Ready: ready condition is False\n"
            + "* Machine m4:\n  * Ready: ready condition is Unknown");
  }

  @Test
  void controlPlaneErrorsMakeItFalse() {
    assertCondition(aggregate(List.of(machine("m1", "True", false)), List.of("something error")),
        "False", "false reason", "* something error");
  }

  @Test
  void unknownCountsOnlyForMachinesWithAProviderId() {
    assertCondition(aggregate(List.of(machine("m3", "Unknown", true), machine("m1", "Unknown", true),
            machine("m2", "True", false)), List.of()),
        "Unknown", "unknown reason", "* Machines m1, m3:\n  * Ready: ready condition is Unknown");
    assertCondition(aggregate(List.of(machine("m3", "Unknown", false), machine("m1", "Unknown", false),
            machine("m2", "True", false)), List.of()),
        "True", "true reason", "");
  }

  @Test
  void allTrueIsTrueAndNoMachinesIsUnknown() {
    assertCondition(aggregate(List.of(machine("m1", "True", false), machine("m2", "True", false)), List.of()),
        "True", "true reason", "");
    assertCondition(aggregate(List.of(), List.of()), "Unknown", "unknown reason",
        "No Machines reporting something status");
  }

  @Test
  void aMachineWhoseConditionsAllSayTheSameIsOneLine() {
    Machine m = machine("m1", "Unknown", true);
    m.getStatus().conditions.add(Conditions.of("Other", "Unknown", "r", "ready condition is Unknown", 1L));
    assertEquals("* Machine m1:\n  * Control plane components: ready condition is Unknown",
        MachinesToControlPlaneCondition.aggregate(List.of(m), List.of("Ready", "Other"), List.of(), TARGET, 3L)
            .getMessage());
  }

  @Test
  void moreThanThreeMachinesAreShortened() {
    assertEquals("* Machines a, b, c, ... (1 more):\n  * Ready: ready condition is False",
        aggregate(List.of(machine("d", "False", true), machine("c", "False", true), machine("b", "False", true),
            machine("a", "False", true)), List.of()).getMessage());
  }
}
