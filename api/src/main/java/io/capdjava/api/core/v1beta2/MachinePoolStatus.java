package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The parts of a MachinePool's status providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachinePoolStatus extends UnknownFields {
  public Integer replicas;

  public Integer readyReplicas;
}
