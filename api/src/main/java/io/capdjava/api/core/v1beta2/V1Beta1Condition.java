package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/**
 * A condition in the v1beta1 shape (with severity), kept under {@code status.deprecated.v1beta1.conditions} for tools
 * that still read it (upstream {@code clusterv1.Condition}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class V1Beta1Condition {
  @Required
  public String type;

  @Required
  public String status;

  /** {@code Error}, {@code Warning} or {@code Info}; empty when status is True. */
  public String severity;

  @Required
  public String lastTransitionTime;

  public String reason;

  public String message;
}
