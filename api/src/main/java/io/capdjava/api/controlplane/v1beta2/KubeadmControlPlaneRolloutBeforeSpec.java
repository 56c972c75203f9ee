package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/** Conditions under which a Machine is rolled out before anything else requires it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneRolloutBeforeSpec {
  /** Roll a Machine whose certificates expire within this many days. */
  @Min(7)
  public Integer certificatesExpiryDays;
}
