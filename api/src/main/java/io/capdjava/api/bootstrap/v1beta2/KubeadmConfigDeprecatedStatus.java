package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Groups status fields kept only for older API consumers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmConfigDeprecatedStatus {
  public KubeadmConfigV1Beta1DeprecatedStatus v1beta1;
}
