package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The last remediation KCP performed, used to count retries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastRemediationStatus {
  /** Name of the Machine last remediated. */
  @Required
  @Size(min = 1, max = 253)
  public String machine;

  /** RFC 3339 time of the remediation, in UTC. */
  @Required
  public String time;

  @Required
  @Min(0)
  public Integer retryCount;
}
