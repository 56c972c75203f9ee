package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The desired state of a DockerMachinePool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachinePoolSpec {
  @Required
  public DockerMachinePoolMachineTemplate template;

  /** Set by the controller: the pool's own identity ({@code docker:////<cluster>-dmp-<pool>}). */
  public String providerID;

  /** Set by the controller: the provider IDs of the pool's instances, sorted; CAPI core copies it to the MachinePool. */
  public List<String> providerIDList;
}
