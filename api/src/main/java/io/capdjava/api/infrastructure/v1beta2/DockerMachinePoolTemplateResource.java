package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** The labels, annotations and DockerMachinePool spec each DockerMachinePool created from the template gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachinePoolTemplateResource {
  @MinProperties(1)
  public ObjectMeta metadata;

  @Required
  public DockerMachinePoolSpec spec;
}
