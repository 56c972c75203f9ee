package io.capdjava.docker.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;

/**
 * A HostConfig with no masked or read-only system paths: what the docker CLI's {@code systempaths=unconfined} sends.
 * The engine API has no such security option, only these two lists, which docker-java does not model. A node needs
 * a writable /proc/sys (kube-proxy and the kubelet set sysctls).
 */
final class UnmaskedHostConfig extends HostConfig {
  private static final long serialVersionUID = 1L;

  @JsonProperty("MaskedPaths")
  private final List<String> maskedPaths = List.of();

  @JsonProperty("ReadonlyPaths")
  private final List<String> readonlyPaths = List.of();

  List<String> maskedPaths() {
    return maskedPaths;
  }

  List<String> readonlyPaths() {
    return readonlyPaths;
  }
}
