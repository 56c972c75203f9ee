package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;

/** When KCP replaces Machines even without a spec change, and how it rolls them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneRolloutSpec {
  @MinProperties(1)
  public KubeadmControlPlaneRolloutBeforeSpec before;

  /** RFC 3339 time; Machines created before it are rolled out once it has passed. */
  public String after;

  // webhook-only: upstream's defaulter sets type RollingUpdate and rollingUpdate.maxSurge 1 on every KCP; unset
  // here means the same.
  @MinProperties(1)
  public KubeadmControlPlaneRolloutStrategy strategy;
}
