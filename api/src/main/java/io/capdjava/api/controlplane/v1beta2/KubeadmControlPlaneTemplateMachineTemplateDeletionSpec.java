package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/** Machine deletion timeouts in a KubeadmControlPlaneTemplate; 0 = no limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneTemplateMachineTemplateDeletionSpec {
  @Min(0)
  public Integer nodeDrainTimeoutSeconds;

  @Min(0)
  public Integer nodeVolumeDetachTimeoutSeconds;

  /** Unset means the Machine's own default. */
  @Min(0)
  public Integer nodeDeletionTimeoutSeconds;
}
