package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The parts of a MachineDeployment's status providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineDeploymentStatus extends UnknownFields {
  public Integer replicas;

  public Integer readyReplicas;

  public Integer availableReplicas;

  public Integer upToDateReplicas;

  /** The label selector in string form, for the scale subresource. */
  public String selector;

  public Long observedGeneration;

  public List<Condition> conditions;
}
