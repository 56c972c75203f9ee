package io.capdjava.controlplane.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Upstream {@code KCPMachineNameGenerator}. */
class MachineNamesTest {

  @Test
  void defaultTemplateIsKcpNameDashFiveRandomCharacters() {
    String name = MachineNames.generate(null, "cluster", "kcp");
    assertTrue(name.matches("kcp-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    assertNotEquals(name, MachineNames.generate(null, "cluster", "kcp"), "random per Machine");
  }

  @Test
  void templateVariablesAreReplaced() {
    String name = MachineNames.generate("{{ .cluster.name }}-cp-{{ .kubeadmControlPlane.name }}-{{ .random }}", "c1", "kcp");
    assertTrue(name.matches("c1-cp-kcp-[a-z0-9]{5}"), name);
  }

  @Test
  void longNamesAreCutTo58PlusFiveRandomCharacters() {
    String name = MachineNames.generate(null, "c", "k".repeat(70));
    assertEquals(63, name.length());
    assertTrue(name.startsWith("k".repeat(58)), name);
  }

  @Test
  void templateWithoutRandomIsRejectedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MachineNames.generate("{{ .kubeadmControlPlane.name }}", "c", "kcp"));
    assertEquals("spec.machineNaming.template: {{ .random }} is missing in {{ .kubeadmControlPlane.name }}",
        e.getMessage());
  }
}
