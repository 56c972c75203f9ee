package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;

/** The labels, annotations and KubeadmConfig spec each KubeadmConfig created from the template gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmConfigTemplateResource {
  @MinProperties(1)
  public ObjectMeta metadata;

  @MinProperties(1)
  public KubeadmConfigSpec spec;
}
