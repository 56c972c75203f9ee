package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The Machine a MachineSet or MachineDeployment creates: its labels, annotations and spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineTemplateSpec extends UnknownFields {
  public ObjectMeta metadata;

  public MachineSpec spec;
}
