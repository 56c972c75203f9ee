package io.capdjava.docker.runtime;

import java.util.List;
import java.util.Map;

/**
 * A container to run: what upstream CAPD's {@code RunContainer} takes.
 *
 * @param binds {@code hostPath:containerPath[:ro]}
 * @param publishedPorts container ports ({@code 6443/tcp}) to publish on a random host port at {@code listenAddress}
 * @param anonymousVolumes container paths backed by a fresh anonymous volume (a node's {@code /var})
 * @param ipv4Address the address to take on {@code network}, or null for any the engine hands out
 */
public record ContainerSpec(
    String name,
    String image,
    String network,
    Map<String, String> labels,
    List<String> env,
    Map<String, String> tmpfs,
    List<String> anonymousVolumes,
    List<String> binds,
    List<String> publishedPorts,
    String listenAddress,
    SecurityProfile security,
    String ipv4Address) {
  /** A container that takes whatever address the engine hands out on its network. */
  public ContainerSpec(String name, String image, String network, Map<String, String> labels, List<String> env,
      Map<String, String> tmpfs, List<String> anonymousVolumes, List<String> binds, List<String> publishedPorts,
      String listenAddress, SecurityProfile security) {
    this(name, image, network, labels, env, tmpfs, anonymousVolumes, binds, publishedPorts, listenAddress, security,
        null);
  }

  /** The same container with one label more. */
  public ContainerSpec withLabel(String key, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(labels);
    more.put(key, value);
    return new ContainerSpec(name, image, network, more, env, tmpfs, anonymousVolumes, binds, publishedPorts,
        listenAddress, security, ipv4Address);
  }

  /** The same container at a fixed address on its network. */
  public ContainerSpec withIpv4Address(String address) {
    return new ContainerSpec(name, image, network, labels, env, tmpfs, anonymousVolumes, binds, publishedPorts,
        listenAddress, security, address);
  }
}
