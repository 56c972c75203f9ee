package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/** Timeouts KCP sets on the Machines it creates for draining, volume detach and Node deletion; 0 = no limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneMachineTemplateDeletionSpec {
  @Min(0)
  public Integer nodeDrainTimeoutSeconds;

  @Min(0)
  public Integer nodeVolumeDetachTimeoutSeconds;

  /** Unset means the Machine's own default. */
  @Min(0)
  public Integer nodeDeletionTimeoutSeconds;
}
