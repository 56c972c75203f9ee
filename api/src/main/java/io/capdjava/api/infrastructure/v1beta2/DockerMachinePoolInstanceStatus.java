package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One instance of a DockerMachinePool: a DevMachinePool's instance and whether it is bootstrapped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachinePoolInstanceStatus extends DevMachinePoolInstanceStatus {
  public Boolean bootstrapped;
}
