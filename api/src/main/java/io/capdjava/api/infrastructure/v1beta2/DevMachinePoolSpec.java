package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The desired state of a DevMachinePool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachinePoolSpec {
  /** Set by the controller: the pool's own identity. */
  public String providerID;

  /** Set by the controller: the provider IDs of the pool's instances, sorted; CAPI core copies it to the MachinePool. */
  public List<String> providerIDList;

  public DevMachinePoolBackendSpec backend;
}
