package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The parts of a Cluster's spec providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterSpec extends UnknownFields {
  public Boolean paused;

  public ClusterNetwork clusterNetwork;

  public APIEndpoint controlPlaneEndpoint;

  public ContractVersionedObjectReference controlPlaneRef;

  public ContractVersionedObjectReference infrastructureRef;
}
