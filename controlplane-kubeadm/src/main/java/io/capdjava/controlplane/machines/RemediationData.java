package io.capdjava.controlplane.machines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One remediation, as upstream keeps it in the {@code remediation-in-progress} annotation on the KCP and then in the
 * {@code remediation-for} annotation on the replacement Machine: {@code {"machine","timestamp","retryCount"}}.
 * The timestamp is RFC 3339 in UTC with whole seconds (Go's {@code metav1.Time}); a missing one stays empty.
 *
 * @param machine the Machine remediated
 * @param timestamp when it was remediated
 * @param retryCount how many replacements of the same failure already failed
 */
public record RemediationData(String machine, Optional<Instant> timestamp, int retryCount) {
  public RemediationData {
    machine = machine == null ? "" : machine;
    timestamp = timestamp.map(t -> t.truncatedTo(ChronoUnit.SECONDS));
  }

  public static RemediationData of(String machine, Instant timestamp, int retryCount) {
    return new RemediationData(machine, Optional.of(timestamp), retryCount);
  }

  /** Parses an annotation value; upstream fails the reconcile on a value that is not this JSON. */
  public static RemediationData parse(String value) {
    try {
      JsonNode node = Serialization.jsonMapper().readTree(value == null ? "" : value);
      if (node == null || !node.isObject()) throw new IllegalArgumentException("not a JSON object");
      JsonNode t = node.get("timestamp");
      Optional<Instant> timestamp = t == null || t.isNull() || t.asText().isEmpty()
          ? Optional.empty() : Optional.of(Instant.parse(t.asText()));
      return new RemediationData(node.path("machine").asText(""), timestamp, node.path("retryCount").asInt(0));
    } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException("failed to unmarshal value " + value + " for remediation annotation: "
          + e.getMessage(), e);
    }
  }

  /** The annotation value, fields in upstream's order. */
  public String toJson() {
    ObjectNode node = Serialization.jsonMapper().createObjectNode();
    node.put("machine", machine);
    if (timestamp.isPresent()) node.put("timestamp", timestamp.get().toString());
    else node.putNull("timestamp");
    node.put("retryCount", retryCount);
    return node.toString();
  }
}
