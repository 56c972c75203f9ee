package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Status fields kept for older API versions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneDeprecatedStatus {
  public KubeadmControlPlaneV1Beta1DeprecatedStatus v1beta1;
}
