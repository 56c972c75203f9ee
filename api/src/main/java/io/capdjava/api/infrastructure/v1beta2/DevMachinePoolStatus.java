package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The observed state of a DevMachinePool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachinePoolStatus {
  /** Ready, ReplicasReady, Paused, Deleting. */
  @ListType(value = "map", mapKeys = "type")
  @Size(max = 32)
  public List<Condition> conditions;

  /** Every wanted replica exists and has a provider ID (CAPI core reads it as the pool's infrastructure readiness). */
  public Boolean ready;

  /** How many instances exist. */
  public Integer replicas;

  public Long observedGeneration;

  /** DevMachine: CAPI core makes a Machine for each of the pool's DevMachines (MachinePool Machines). */
  public String infrastructureMachineKind;

  public List<DevMachinePoolInstanceStatus> instances;
}
