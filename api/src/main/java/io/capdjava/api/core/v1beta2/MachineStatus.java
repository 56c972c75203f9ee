package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The parts of a Machine's status providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineStatus extends UnknownFields {
  public MachineNodeReference nodeRef;

  public MachineInitializationStatus initialization;

  public List<MachineAddress> addresses;

  public String phase;

  public List<Condition> conditions;

  public Long observedGeneration;
}
