package io.capdjava.docker.kinds;

import io.capdjava.api.infrastructure.v1beta2.DevMachinePool;
import io.capdjava.api.infrastructure.v1beta2.DockerMachinePool;
import io.capdjava.api.infrastructure.v1beta2.DockerMachinePoolMachineTemplate;
import io.capdjava.api.infrastructure.v1beta2.Mount;
import java.util.List;

/**
 * What the docker backend reads of a machine pool, whichever kind carries it: a DockerMachinePool's
 * {@code spec.template}, or a DevMachinePool's {@code spec.backend.docker}.
 *
 * @param fieldPrefix where the settings sit in the object, so that messages name the field the user wrote
 */
public record MachinePoolSettings(String customImage, List<String> preLoadImages, List<Mount> extraMounts,
    String fieldPrefix) {
  public static MachinePoolSettings of(DockerMachinePool pool) {
    return of(pool.getSpec() == null ? null : pool.getSpec().template, "spec.template.");
  }

  /**
   * The settings of a DevMachinePool's docker backend, its only one upstream: a pool without {@code spec.backend.docker}
   * is a docker one with defaults.
   */
  public static MachinePoolSettings of(DevMachinePool pool) {
    var spec = pool.getSpec();
    return of(spec == null || spec.backend == null ? null : spec.backend.docker, "spec.backend.docker.");
  }

  private static MachinePoolSettings of(DockerMachinePoolMachineTemplate template, String prefix) {
    if (template == null) return new MachinePoolSettings(null, null, null, prefix);
    return new MachinePoolSettings(template.customImage, template.preLoadImages, template.extraMounts, prefix);
  }
}
