package io.capdjava.docker.kinds;

import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.api.infrastructure.v1beta2.Mount;
import java.util.List;

/**
 * What the docker backend reads of a machine's infrastructure object, whichever kind carries it: a DockerMachine's
 * spec, or a DevMachine's provider ID and {@code spec.backend.docker}.
 *
 * @param fieldPrefix where the backend settings sit in the object ({@code spec.} or {@code spec.backend.docker.})
 */
public record MachineSettings(String providerID, String customImage, List<String> preLoadImages,
    List<Mount> extraMounts, String bootstrapTimeout, String fieldPrefix) {
  public static MachineSettings of(DockerMachine dockerMachine) {
    var spec = dockerMachine.getSpec();
    if (spec == null) return new MachineSettings(null, null, null, null, null, "spec.");
    return new MachineSettings(spec.providerID, spec.customImage, spec.preLoadImages, spec.extraMounts,
        spec.bootstrapTimeout, "spec.");
  }

  /**
   * The settings of a DevMachine's docker backend; null when it asks for the in-memory one (as upstream, docker is the
   * backend unless {@code spec.backend.inMemory} is set).
   */
  public static MachineSettings of(DevMachine devMachine) {
    var spec = devMachine.getSpec();
    if (spec != null && spec.backend != null && spec.backend.inMemory != null) return null;
    var docker = spec == null || spec.backend == null ? null : spec.backend.docker;
    if (docker == null) {
      return new MachineSettings(spec == null ? null : spec.providerID, null, null, null, null, "spec.backend.docker.");
    }
    return new MachineSettings(spec.providerID, docker.customImage, docker.preLoadImages, docker.extraMounts,
        docker.bootstrapTimeout, "spec.backend.docker.");
  }

  public String field(String name) {
    return fieldPrefix + name;
  }

  public boolean provisionedBefore() {
    return providerID != null && !providerID.isEmpty();
  }
}
