package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The desired state of a DevMachineTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachineTemplateSpec {
  @Required
  public DevMachineTemplateResource template;
}
