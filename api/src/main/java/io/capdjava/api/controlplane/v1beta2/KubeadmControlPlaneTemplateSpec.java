package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** The desired state of a KubeadmControlPlaneTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneTemplateSpec {
  @Required
  @MinProperties(1)
  public KubeadmControlPlaneTemplateResource template;
}
