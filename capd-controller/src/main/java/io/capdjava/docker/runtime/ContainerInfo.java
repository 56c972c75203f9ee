package io.capdjava.docker.runtime;

import java.util.Map;

/**
 * A container as the engine reports it.
 *
 * @param ipv4 address on each network it is attached to
 * @param publishedPorts host port of each published container port (e.g. {@code 6443/tcp})
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    Map<String, String> labels,
    boolean running,
    String status,
    Map<String, String> ipv4,
    Map<String, Integer> publishedPorts) {

  public String ipv4On(String network) {
    return ipv4.getOrDefault(network, "");
  }
}
