package io.capdjava.controlplane.health;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A KCP condition aggregated from a group of Machine conditions (upstream {@code aggregateConditionsFromMachinesToKCP}):
 * False when a Machine reports False or the control plane as a whole has problems ({@code kcpErrors}), else Unknown
 * when a provisioned Machine reports Unknown, else True when a Machine reports True. The message lists, per group of
 * Machines with the same problem, the conditions that are not True; Unknown on a Machine without a providerID is
 * provisioning noise and is ignored.
 */
public final class MachinesToControlPlaneCondition {
  private MachinesToControlPlaneCondition() {}

  /** The target condition with the reasons for each outcome and what the message calls the components. */
  public record Target(String type, String trueReason, String falseReason, String unknownReason, String note) {}

  public static Condition aggregate(
      List<Machine> machines, List<String> machineConditions, List<String> kcpErrors, Target target, Long generation) {
    Set<String> withErrors = new LinkedHashSet<>();
    Set<String> withUnknown = new LinkedHashSet<>();
    Set<String> withInfo = new LinkedHashSet<>();
    Map<String, List<String>> machinesByMessage = new LinkedHashMap<>();
    for (Machine machine : machines) {
      String name = MachineFacts.name(machine);
      List<String> machineMessages = new ArrayList<>();
      int count = 0;
      Set<String> distinctMessages = new LinkedHashSet<>();
      for (String type : machineConditions) {
        var found = MachineFacts.condition(machine, type);
        if (found.isEmpty()) continue;
        Condition c = found.get();
        count++;
        String message = c.getMessage() == null ? "" : c.getMessage();
        distinctMessages.add(message);
        if (Conditions.TRUE.equals(c.getStatus())) {
          withInfo.add(name);
        } else if (Conditions.FALSE.equals(c.getStatus())) {
          withErrors.add(name);
          machineMessages.add("  * " + type + ": " + (message.isEmpty() ? "condition is False" : message));
        } else {
          if (!MachineFacts.hasProviderId(machine)) {
            withInfo.add(name);
            continue;
          }
          withUnknown.add(name);
          machineMessages.add("  * " + type + ": " + (message.isEmpty() ? "condition is Unknown" : message));
        }
      }
      if (machineMessages.isEmpty()) continue;
      String message = count > 1 && distinctMessages.size() == 1
          ? "  * Control plane components: " + distinctMessages.iterator().next()
          : String.join("\n", machineMessages);
      machinesByMessage.computeIfAbsent(message, k -> new ArrayList<>()).add(name);
    }

    List<Map.Entry<String, List<String>>> groups = new ArrayList<>(machinesByMessage.entrySet());
    groups.forEach(e -> e.getValue().sort(Comparator.naturalOrder()));
    groups.sort(Comparator.<Map.Entry<String, List<String>>>comparingInt(e -> -e.getValue().size())
        .thenComparing(e -> String.join(",", e.getValue())));
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<String>> group : groups) {
      lines.add("* " + (group.getValue().size() > 1 ? "Machines " : "Machine ") + names(group.getValue()) + ":\n"
          + group.getKey());
    }
    for (String error : kcpErrors) lines.add("* " + error);
    String message = String.join("\n", lines);

    if (!kcpErrors.isEmpty() || !withErrors.isEmpty()) {
      return Conditions.of(target.type(), Conditions.FALSE, target.falseReason(), message, generation);
    }
    if (!withUnknown.isEmpty()) {
      return Conditions.of(target.type(), Conditions.UNKNOWN, target.unknownReason(), message, generation);
    }
    if (!withInfo.isEmpty()) return Conditions.isTrue(target.type(), target.trueReason(), generation);
    return Conditions.of(target.type(), Conditions.UNKNOWN, target.unknownReason(),
        "No Machines reporting " + target.note() + " status", generation);
  }

  /** Upstream {@code clog.ListToString} with at most three names. */
  static String names(List<String> names) {
    if (names.size() <= 3) return String.join(", ", names);
    return String.join(", ", names.subList(0, 3)) + ", ... (" + (names.size() - 3) + " more)";
  }
}
