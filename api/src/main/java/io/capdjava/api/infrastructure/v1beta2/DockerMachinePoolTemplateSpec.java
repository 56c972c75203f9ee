package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The desired state of a DockerMachinePoolTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachinePoolTemplateSpec {
  @Required
  public DockerMachinePoolTemplateResource template;
}
