package io.capdjava.docker.runtime;

import com.github.dockerjava.api.model.Version;

/**
 * Which engine answers on the Docker API. Podman's Docker-compatible API creates containers without the private
 * cgroup namespace, device rules and unmasked system paths a node needs (it ignores them), so on Podman node and
 * load-balancer containers are created through its native API on the same socket; every other call is the same.
 */
public enum EngineKind {
  DOCKER,
  PODMAN;

  /** Podman names itself among the version answer's components ("Podman Engine"); dockerd names "Engine". */
  static EngineKind of(Version version) {
    if (version.getComponents() != null) {
      for (var component : version.getComponents()) {
        if (component.getName() != null && component.getName().startsWith("Podman")) return PODMAN;
      }
    }
    return DOCKER;
  }
}
