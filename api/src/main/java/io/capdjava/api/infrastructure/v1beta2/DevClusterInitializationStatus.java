package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The contract's initialization status: tells CAPI core the cluster infrastructure is provisioned. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevClusterInitializationStatus {
  public Boolean provisioned;
}
