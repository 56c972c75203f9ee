package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What each instance of a pool gets: upstream's DockerMachinePoolMachineTemplate (a DockerMachinePool's
 * {@code spec.template}) and DockerMachinePoolBackendSpec (a DevMachinePool's {@code spec.backend.docker}) have these
 * same fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachinePoolMachineTemplate {
  /** Node image to run instead of the kindest/node image of the MachinePool's Kubernetes version. */
  public String customImage;

  /** Images copied from the host's Docker daemon into each node's containerd before bootstrap. */
  public List<String> preLoadImages;

  public List<Mount> extraMounts;
}
