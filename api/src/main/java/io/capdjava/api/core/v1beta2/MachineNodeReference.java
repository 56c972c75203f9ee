package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The Node of the workload cluster that runs on a Machine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineNodeReference extends UnknownFields {
  public String name;
}
