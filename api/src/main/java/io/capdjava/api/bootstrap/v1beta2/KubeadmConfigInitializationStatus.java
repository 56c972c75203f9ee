package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The contract's initialization status: tells CAPI core the bootstrap data Secret exists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmConfigInitializationStatus {
  public Boolean dataSecretCreated;
}
