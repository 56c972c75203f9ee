package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How far a Machine's initial provisioning has come (infrastructure ready, bootstrap data Secret created). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineInitializationStatus extends UnknownFields {
  public Boolean infrastructureProvisioned;

  public Boolean bootstrapDataSecretCreated;
}
