package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A DevMachine's docker backend: what a {@link DockerMachineSpec} holds besides the provider ID. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachineBackendSpec {
  /** Node image to run instead of the kindest/node image of the Machine's Kubernetes version. */
  public String customImage;

  /** Images copied from the host's Docker daemon into the node's containerd before bootstrap. */
  public List<String> preLoadImages;

  public List<Mount> extraMounts;

  /** How long to wait for the bootstrap to finish (a Go duration such as {@code 5m}; 5m when unset). */
  public String bootstrapTimeout;
}
