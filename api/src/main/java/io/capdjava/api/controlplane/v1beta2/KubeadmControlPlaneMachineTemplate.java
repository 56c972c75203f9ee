package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** How KCP shapes the Machines (and their InfraMachines and KubeadmConfigs) it creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneMachineTemplate {
  /** Propagated in place to existing Machines, InfraMachines and KubeadmConfigs. */
  // webhook-only: label keys/values and annotation keys must be valid Kubernetes labels/annotations
  @MinProperties(1)
  public ObjectMeta metadata;

  @Required
  public KubeadmControlPlaneMachineTemplateSpec spec;
}
