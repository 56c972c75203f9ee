package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An extra Machine condition counted into the Machine's Ready condition (upstream {@code clusterv1.MachineReadinessGate}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineReadinessGate {
  @Required
  @Size(min = 1, max = 316)
  @Pattern(
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
  public String conditionType;

  /** Whether the condition is normally True (Positive, the default when unset) or False (Negative). */
  @Enum({"Positive", "Negative"})
  public String polarity;
}
