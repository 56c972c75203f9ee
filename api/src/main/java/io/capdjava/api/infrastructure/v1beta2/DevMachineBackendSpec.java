package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Which backend provides the machine; one member is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachineBackendSpec {
  public DockerMachineBackendSpec docker;

  /** Upstream's simulated machine; not served by this provider (the DevMachine reports so). */
  public InMemoryMachineBackendSpec inMemory;
}
