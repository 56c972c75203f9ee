package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Groups status fields kept only for older API consumers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevClusterDeprecatedStatus {
  public DevClusterV1Beta1DeprecatedStatus v1beta1;
}
