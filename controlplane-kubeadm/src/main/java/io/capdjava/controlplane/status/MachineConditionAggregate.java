package io.capdjava.controlplane.status;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One condition summarising the same condition of several Machines (upstream {@code NewAggregateCondition} with the
 * default merge strategy): False if any Machine reports False, else Unknown if any reports Unknown or nothing, else
 * True. The message groups Machines reporting the same message, issues first, at most three names per line, e.g.
 * {@code * Machines m-1, m-2: Waiting for a Node}.
 */
public final class MachineConditionAggregate {
  private MachineConditionAggregate() {}

  /** The reasons of the aggregate for each outcome. */
  public record Reasons(String trueReason, String falseReason, String unknownReason) {}

  public static Condition of(
      List<Machine> machines, String sourceType, String targetType, Reasons reasons, Long observedGeneration) {
    List<Map.Entry<Machine, Condition>> issues = new ArrayList<>();
    List<Map.Entry<Machine, Condition>> unknowns = new ArrayList<>();
    for (Machine machine : machines) {
      Condition c = MachineFacts.condition(machine, sourceType).orElseGet(() -> Conditions.of(sourceType,
          Conditions.UNKNOWN, "NotYetReported", "Condition " + sourceType + " not yet reported", null));
      if (Conditions.FALSE.equals(c.getStatus())) issues.add(Map.entry(machine, c));
      else if (!Conditions.TRUE.equals(c.getStatus())) unknowns.add(Map.entry(machine, c));
    }
    if (!issues.isEmpty()) {
      List<String> lines = lines(issues);
      lines.addAll(lines(unknowns));
      return Conditions.of(targetType, Conditions.FALSE, reasons.falseReason(), String.join("\n", lines),
          observedGeneration);
    }
    if (!unknowns.isEmpty()) {
      return Conditions.of(targetType, Conditions.UNKNOWN, reasons.unknownReason(),
          String.join("\n", lines(unknowns)), observedGeneration);
    }
    return Conditions.of(targetType, Conditions.TRUE, reasons.trueReason(), "", observedGeneration);
  }

  private static List<String> lines(List<Map.Entry<Machine, Condition>> reports) {
    Map<String, List<String>> byMessage = new LinkedHashMap<>();
    for (Map.Entry<Machine, Condition> r : reports) {
      String message = r.getValue().getMessage() == null ? "" : r.getValue().getMessage();
      byMessage.computeIfAbsent(message, k -> new ArrayList<>()).add(MachineFacts.name(r.getKey()));
    }
    List<Map.Entry<String, List<String>>> entries = new ArrayList<>(byMessage.entrySet());
    entries.sort(Comparator.<Map.Entry<String, List<String>>>comparingInt(e -> -e.getValue().size())
        .thenComparing(e -> String.join(",", e.getValue().stream().sorted().toList())));
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : entries) {
      if (e.getKey().isEmpty()) continue;
      List<String> names = e.getValue().stream().sorted().toList();
      String who = names.size() == 1 ? "Machine " + names.get(0)
          : names.size() <= 3 ? "Machines " + String.join(", ", names)
          : "Machines " + String.join(", ", names.subList(0, 3)) + ", ... (" + (names.size() - 3) + " more)";
      lines.add("* " + who + ":" + indent(e.getKey()));
    }
    return lines;
  }

  private static String indent(String message) {
    if (!message.contains("\n") && !message.startsWith("* ")) return " " + message;
    StringBuilder b = new StringBuilder();
    for (String line : message.split("\n")) b.append("\n  ").append(line);
    return b.toString();
  }
}
