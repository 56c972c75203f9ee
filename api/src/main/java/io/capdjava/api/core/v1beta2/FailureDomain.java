package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** A failure domain machines can be spread over (upstream {@code clusterv1.FailureDomain}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailureDomain {
  @Required
  @Size(min = 1, max = 256)
  public String name;

  /** Whether control-plane machines may be placed here. */
  public Boolean controlPlane;

  public Map<String, String> attributes;
}
