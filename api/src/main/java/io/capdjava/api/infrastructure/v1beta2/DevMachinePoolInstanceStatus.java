package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.MachineAddress;
import java.util.List;

/** One instance of a DevMachinePool, as its DevMachine reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachinePoolInstanceStatus {
  public List<MachineAddress> addresses;

  /** The instance's container name (also its DevMachine's name). */
  public String instanceName;

  public String providerID;

  /** The Kubernetes version the instance was created with. */
  public String version;

  public Boolean ready;
}
