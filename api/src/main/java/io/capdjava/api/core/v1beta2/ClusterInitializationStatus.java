package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How far a Cluster's initial provisioning has come (infrastructure ready, first control plane up). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterInitializationStatus extends UnknownFields {
  public Boolean infrastructureProvisioned;

  public Boolean controlPlaneInitialized;
}
