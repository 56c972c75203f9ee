package io.capdjava.controlplane.health;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.core.Conditions;

/** Sets a condition KCP owns on a Machine in memory, with the Machine's generation (upstream {@code conditions.Set}). */
public final class MachineConditions {
  private MachineConditions() {}

  public static void set(Machine machine, String type, String status, String reason, String message) {
    if (machine.getStatus() == null) machine.setStatus(new MachineStatus());
    machine.getStatus().conditions = Conditions.set(machine.getStatus().conditions,
        Conditions.of(type, status, reason, message, machine.getMetadata().getGeneration()));
  }

  public static void set(Machine machine, String type, StaticPodHealth.Verdict verdict) {
    set(machine, type, verdict.status(), verdict.reason(), verdict.message());
  }
}
