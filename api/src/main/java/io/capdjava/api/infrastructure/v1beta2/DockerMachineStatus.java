package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The observed state of a DockerMachine: a DevMachine's ({@link DevMachineStatus}) and one field more. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachineStatus extends DevMachineStatus {
  /** Whether the machine has been added to the cluster's load balancer. */
  public Boolean loadBalancerConfigured;
}
