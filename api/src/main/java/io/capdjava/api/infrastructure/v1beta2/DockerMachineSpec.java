package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired state of a DockerMachine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.customImage) ? self.customImage : '') == (has(oldSelf.customImage) ? oldSelf.customImage : '')",
    message = "spec.customImage cannot be modified",
    fieldPath = ".customImage",
    reason = "FieldValueForbidden")
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
