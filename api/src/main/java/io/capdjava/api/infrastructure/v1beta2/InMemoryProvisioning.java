package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** One simulated part of an in-memory machine (upstream's VM, node, API server and etcd specs have this shape). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InMemoryProvisioning {
  public Settings provisioning;

  /** Upstream's CommonProvisioningSettings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Settings {
    /** A Go duration. */
    @Required
    public String startupDuration;

    /** A float between 0 and 1, as a string, applied to startupDuration. */
    public String startupJitter;
  }
}
