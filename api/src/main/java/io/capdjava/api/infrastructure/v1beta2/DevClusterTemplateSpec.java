package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The desired state of a DevClusterTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevClusterTemplateSpec {
  @Required
  public DevClusterTemplateResource template;
}
