package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.MachineAddress;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The observed state of a DevMachine; a DockerMachine's is the same plus {@code loadBalancerConfigured}
 * ({@link DockerMachineStatus}), so one reconciler serves both kinds. initialization and addresses are what CAPI core
 * reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachineStatus {
  /** Ready, ContainerProvisioned, CGroupsReady, PreLoadedImagesReady, BootstrapCompleted, Paused, Deleting. */
  @ListType(value = "map", mapKeys = "type")
  @Size(max = 32)
  public List<Condition> conditions;

  @MinProperties(1)
  public DevMachineInitializationStatus initialization;

  public List<MachineAddress> addresses;

  /** Copied from the owning Machine's spec.failureDomain. */
  @Size(min = 1, max = 256)
  public String failureDomain;

  public DevMachineDeprecatedStatus deprecated;
}
