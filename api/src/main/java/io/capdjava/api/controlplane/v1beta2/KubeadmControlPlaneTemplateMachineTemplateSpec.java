package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The Machine spec part of a KubeadmControlPlaneTemplate (no infrastructureRef or readinessGates). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneTemplateMachineTemplateSpec {
  @MinProperties(1)
  public KubeadmControlPlaneTemplateMachineTemplateDeletionSpec deletion;

  // webhook-only: taints require the MachineTaintPropagation feature gate; keys must be valid label keys
  @ListType(value = "map", mapKeys = {"key", "effect"})
  @Size(min = 1, max = 64)
  public List<MachineTaint> taints;
}
