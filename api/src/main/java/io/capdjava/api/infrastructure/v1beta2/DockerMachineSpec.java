package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The desired state of a DockerMachine. Its customImage is immutable on a DockerMachine (a rule on {@link DockerMachine});
 * templates have their own rule, which lets the topology controller's dry-runs through.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachineSpec {
  /** {@code docker:////<container name>}, set by the controller. */
  @Size(min = 1, max = 512)
  public String providerID;

  /** Node image to run instead of the kindest/node image of the Machine's Kubernetes version. */
  public String customImage;

  /** Images copied from the host's Docker daemon into the node's containerd before bootstrap. */
  public List<String> preLoadImages;

  public List<Mount> extraMounts;

  /** How long to wait for the bootstrap to finish (a Go duration such as {@code 5m}; 5m when unset). */
  public String bootstrapTimeout;
}
