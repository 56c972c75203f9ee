package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** The desired state of a KubeadmConfigTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmConfigTemplateSpec {
  @Required
  @MinProperties(1)
  public KubeadmConfigTemplateResource template;
}
