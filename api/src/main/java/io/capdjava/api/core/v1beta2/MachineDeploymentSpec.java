package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** The parts of a MachineDeployment's spec providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineDeploymentSpec extends UnknownFields {
  public String clusterName;

  public Integer replicas;

  public LabelSelector selector;

  public MachineTemplateSpec template;
}
