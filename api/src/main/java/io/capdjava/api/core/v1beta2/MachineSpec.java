package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The parts of a Machine's spec providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineSpec extends UnknownFields {
  public String clusterName;

  public Bootstrap bootstrap;

  public ContractVersionedObjectReference infrastructureRef;

  /** Kubernetes version, e.g. {@code v1.34.0}. */
  public String version;

  public String providerID;

  public String failureDomain;
}
