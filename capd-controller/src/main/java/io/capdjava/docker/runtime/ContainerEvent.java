package io.capdjava.docker.runtime;

import java.util.Map;

/**
 * A change of a container the engine reported: {@code action} as the engine names it ({@code start}, {@code die},
 * {@code stop}, {@code destroy}, ...), the container's name and labels.
 */
public record ContainerEvent(String action, String name, Map<String, String> labels) {
  /**
   * Whether the container stopped running or is gone. A {@code kill} alone is not: the load balancer gets SIGHUP for
   * every configuration change; a kill that ends the container is followed by {@code die}.
   */
  public boolean stoppedOrGone() {
    return action.equals("die") || action.equals("stop") || action.equals("destroy");
  }
}
