package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Which backend provides the pool's instances; upstream has only docker for pools. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachinePoolBackendSpec {
  public DockerMachinePoolMachineTemplate docker;
}
