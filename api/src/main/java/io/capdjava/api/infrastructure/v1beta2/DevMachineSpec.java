package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The desired state of a DevMachine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachineSpec {
  /** {@code docker:////<container name>} for the docker backend, set by the controller. */
  @Size(min = 1, max = 512)
  public String providerID;

  @Required
  public DevMachineBackendSpec backend;
}
