package io.capdjava.controlplane.phases;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.controlplane.health.MachineConditions;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the {@code OwnerRemediated} condition of a Machine, the only one of CAPI core's MachineHealthCheck conditions
 * KCP owns (upstream's patch helper with {@code WithOwnedConditions{OwnerRemediated}}). The status is written with the
 * Machine's resourceVersion; on a conflict the condition is put on the newer Machine and written again, so nothing
 * CAPI core wrote meanwhile is lost.
 */
final class OwnerRemediatedCondition {

  private final KubernetesClient client;

  OwnerRemediatedCondition(KubernetesClient client) {
    this.client = client;
  }

  /** Sets {@code OwnerRemediated=False} with the reason and message, unless it already says so. */
  void setFalse(Machine machine, String reason, String message) {
    Optional<Condition> current = MachineFacts.condition(machine, Contract.MachineCondition.OWNER_REMEDIATED);
    if (current.isPresent() && Conditions.FALSE.equals(current.get().getStatus())
        && reason.equals(current.get().getReason()) && message.equals(nullToEmpty(current.get().getMessage()))) {
      return;
    }
    MachineConditions.set(machine, Contract.MachineCondition.OWNER_REMEDIATED, Conditions.FALSE, reason, message);
    Condition ours = MachineFacts.condition(machine, Contract.MachineCondition.OWNER_REMEDIATED).orElseThrow();
    write(machine, target -> {
      if (target.getStatus() == null) target.setStatus(new MachineStatus());
      target.getStatus().conditions = Conditions.set(target.getStatus().conditions, ours);
    });
  }

  /** Removes {@code OwnerRemediated} (a Machine that is healthy again). */
  void remove(Machine machine) {
    if (MachineFacts.condition(machine, Contract.MachineCondition.OWNER_REMEDIATED).isEmpty()) return;
    java.util.function.Consumer<Machine> drop = target -> {
      if (target.getStatus() == null || target.getStatus().conditions == null) return;
      List<Condition> kept = new ArrayList<>(target.getStatus().conditions);
      kept.removeIf(c -> Contract.MachineCondition.OWNER_REMEDIATED.equals(c.getType()));
      target.getStatus().conditions = kept;
    };
    drop.accept(machine);
    write(machine, drop);
  }

  private void write(Machine machine, java.util.function.Consumer<Machine> change) {
    if (!MachineStatusWrite.write(client, machine, change)) {
      throw new IllegalStateException("Machine " + MachineFacts.name(machine)
          + " kept changing while its OwnerRemediated condition was written");
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
