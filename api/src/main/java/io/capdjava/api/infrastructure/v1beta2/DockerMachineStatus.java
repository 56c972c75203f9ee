package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.MachineAddress;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The observed state of a DockerMachine; initialization and addresses are what CAPI core reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachineStatus {
  /** Ready, ContainerProvisioned, BootstrapExecSucceeded, Paused (v1.14 adds CGroupsReady and friends). */
  @ListType(value = "map", mapKeys = "type")
  @Size(max = 32)
  public List<Condition> conditions;

  @MinProperties(1)
  public DockerMachineInitializationStatus initialization;

  /** Whether the machine has been added to the cluster's load balancer. */
  public Boolean loadBalancerConfigured;

  public List<MachineAddress> addresses;

  /** Copied from the owning Machine's spec.failureDomain. */
  @Size(min = 1, max = 256)
  public String failureDomain;

  public DockerMachineDeprecatedStatus deprecated;
}
