package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** The observed state of a DockerMachineTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachineTemplateStatus {
  /** cpu and memory of the Docker host, read by the cluster autoscaler to scale from zero. */
  public Map<String, Quantity> capacity;
}
