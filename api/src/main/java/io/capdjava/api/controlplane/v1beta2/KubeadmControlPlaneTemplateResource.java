package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.ValidationRule;

/** The metadata and spec a KubeadmControlPlane is created with from the template. */
// webhook-only: upstream's immutability check first re-applies old defaults (format cloud-config, imagePullPolicy
// IfNotPresent, exec apiVersion, strategy RollingUpdate/maxSurge 1), so dropping just those is allowed there.
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.spec) == has(oldSelf.spec) && (!has(self.spec) || self.spec == oldSelf.spec)",
    message = "spec.template.spec is immutable; create a new KubeadmControlPlaneTemplate instead",
    fieldPath = ".spec")
public class KubeadmControlPlaneTemplateResource {
  // webhook-only: label keys/values and annotation keys must be valid Kubernetes labels/annotations
  @MinProperties(1)
  public ObjectMeta metadata;

  @MinProperties(1)
  public KubeadmControlPlaneTemplateResourceSpec spec;
}
