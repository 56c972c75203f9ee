package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The network settings of a Cluster that kubeadm and the load balancer need. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterNetwork extends UnknownFields {
  /** Port the API servers bind to (6443 when unset). */
  public Integer apiServerPort;

  public NetworkRanges services;

  public NetworkRanges pods;

  public String serviceDomain;
}
