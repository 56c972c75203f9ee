package io.capdjava.docker.runtime;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the provider asks of a container engine. {@link DockerEngineRuntime} is the real engine behind it; every
 * container the provider makes is found again by name and labels, so a restarted provider picks up where it left.
 */
public interface ContainerRuntime {

  /** Creates the network with kind's settings unless it exists. */
  void ensureNetwork(String name);

  /** The container with exactly this name, running or not. */
  Optional<ContainerInfo> find(String name);

  /** Every container carrying all these labels, running or not. */
  List<ContainerInfo> list(Map<String, String> labels);

  /** Creates and starts a container; one that fails to start is removed again, with its volumes. */
  ContainerInfo run(ContainerSpec spec);

  /** Removes the container and its anonymous volumes; a missing container is not an error. */
  void remove(String name);

  /**
   * Runs a command in a container and waits for it, at most {@code timeout}. Standard input is optional. The result
   * holds the exit code and the combined output.
   */
  ExecResult exec(String container, List<String> command, InputStream stdin, Duration timeout);

  default ExecResult exec(String container, List<String> command, Duration timeout) {
    return exec(container, command, (InputStream) null, timeout);
  }

  default ExecResult exec(String container, List<String> command, byte[] stdin, Duration timeout) {
    return exec(container, command, stdin == null ? null : new java.io.ByteArrayInputStream(stdin), timeout);
  }

  /** Sends a signal to the container's main process (haproxy reloads on SIGHUP). */
  void kill(String container, String signal);

  boolean imagePresent(String image);

  void pull(String image);

  /** The image as a {@code docker save} archive. */
  InputStream save(String image);

  EngineInfo info();

  /** Whether the engine lets containers run privileged; some hosts lack a capability runc then asks for. */
  boolean privilegedAllowed(String probeImage);
}
