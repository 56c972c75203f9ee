package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;

/** The Machine template part of a KubeadmControlPlaneTemplate (no infrastructureRef). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneTemplateMachineTemplate {
  // webhook-only: label keys/values and annotation keys must be valid Kubernetes labels/annotations
  @MinProperties(1)
  public ObjectMeta metadata;

  @MinProperties(1)
  public KubeadmControlPlaneTemplateMachineTemplateSpec spec;
}
