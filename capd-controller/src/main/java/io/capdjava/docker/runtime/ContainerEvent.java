package io.capdjava.docker.runtime;

import java.util.Map;

/**
 * A change of a container the engine reported: {@code action} as the engine names it ({@code start}, {@code die},
 * {@code stop}, {@code destroy}, ...), the container's name and labels.
 */
public record ContainerEvent(String action, String name, Map<String, String> labels) {
  /** The action a container's end begins with, whatever ended it. */
  public static final String DIE = "die";

  /**
   * Whether a running container stopped: {@code die}, which a stop, a kill that ends it and a forced removal all
   * begin with. A {@code kill} alone is not (the load balancer gets SIGHUP for every configuration change), nor the
   * removal of a container that never ran: a provider's own failed start must not wake it again at once, or a start
   * that keeps failing becomes a hot loop that skips the retry backoff.
   */
  public boolean stoppedRunning() {
    return action.equals(DIE);
  }
}
