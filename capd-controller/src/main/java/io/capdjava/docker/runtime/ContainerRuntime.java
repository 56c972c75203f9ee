package io.capdjava.docker.runtime;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
   * Removes the network when no container is on it any more, on engines where it is ours alone (Podman); a Docker
   * engine's stays, as kind's does.
   */
  void releaseNetwork(String name);

  /** Runs a command in a container and waits for it, at most {@code timeout}; the output is stdout and stderr. */
  ExecResult exec(String container, List<String> command, Duration timeout);

  /**
   * Puts a file into a container (parents are created). Files travel as an archive, not on an exec's standard input:
   * docker-java's hijacked stdin is never closed, so a command reading it would never see the end.
   */
  void copyFile(String container, String path, byte[] content);

  /** As {@link #copyFile(String, String, byte[])}, streamed from a local file (an image archive). */
  void copyFile(String container, String path, Path source);

  /** Starts a stopped container (no-op when it runs). */
  void start(String container);

  /** The IPv4 subnets (CIDR) of a network, empty when it does not exist. */
  List<String> networkSubnets(String network);

  /** Sends a signal to the container's main process (haproxy reloads on SIGHUP). */
  void kill(String container, String signal);

  boolean imagePresent(String image);

  /** Some image the engine has locally, to probe what the engine allows without pulling. */
  Optional<String> anyLocalImage();

  void pull(String image);

  /** The image as a {@code docker save} archive. */
  InputStream save(String image);

  EngineInfo info();

  /**
   * Streams the engine's events of the containers carrying {@code labelKey} to {@code onEvent} (on a thread of its
   * own) until the returned handle is closed; a dropped stream (an engine restart) is opened again.
   */
  AutoCloseable watchContainers(String labelKey, java.util.function.Consumer<ContainerEvent> onEvent);

  /** As above, only the events whose action is one of {@code actions} (the engine's names; empty for all). */
  AutoCloseable watchContainers(String labelKey, Set<String> actions,
      java.util.function.Consumer<ContainerEvent> onEvent);

  /** Whether the engine lets containers run privileged; some hosts lack a capability runc then asks for. */
  boolean privilegedAllowed(String probeImage);
}
