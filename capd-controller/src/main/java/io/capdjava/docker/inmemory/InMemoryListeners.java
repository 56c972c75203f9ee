package io.capdjava.docker.inmemory;

import io.capdjava.docker.inmemory.workload.SimulatedClusters;

/**
 * Where the in-memory backend's workload API servers listen: {@code --in-memory-host} (default: the pod's IP from
 * {@code POD_IP} in a management cluster, else 127.0.0.1; CAPI core and KCP must reach it) and
 * {@code --in-memory-ports=MIN-MAX} (upstream's range 20000-30000 by default), one port per cluster.
 */
public record InMemoryListeners(String host, int minPort, int maxPort) {
  public static final String HOST_FLAG = "in-memory-host";
  public static final String PORTS_FLAG = "in-memory-ports";
  public static final String HOST_HELP = "(in-memory backend) the address workload API servers listen on and"
      + " endpoints name (default: $POD_IP, else 127.0.0.1)";
  public static final String PORTS_HELP = "(in-memory backend) the port range of workload API servers, MIN-MAX";
  public static final String DEFAULT_PORTS = SimulatedClusters.DEFAULT_MIN_PORT + "-" + SimulatedClusters.DEFAULT_MAX_PORT;

  public static InMemoryListeners defaults() {
    return parse("", DEFAULT_PORTS);
  }

  /** The flags' values; fails naming the flag. */
  public static InMemoryListeners parse(String host, String ports) {
    String chosenHost = host == null || host.isBlank() ? defaultHost() : host.strip();
    String[] range = (ports == null || ports.isBlank() ? DEFAULT_PORTS : ports.strip()).split("-");
    try {
      if (range.length != 2) throw new NumberFormatException();
      int min = Integer.parseInt(range[0].strip());
      int max = Integer.parseInt(range[1].strip());
      if (min < 1 || max > 65535 || min > max) throw new NumberFormatException();
      return new InMemoryListeners(chosenHost, min, max);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + PORTS_FLAG + ": \"" + ports + "\" is not a port range MIN-MAX"
          + " within 1-65535");
    }
  }

  /** The clusters' registry; it starts its event loop only when the first cluster is made. */
  public SimulatedClusters open() {
    return new SimulatedClusters(host, minPort, maxPort);
  }

  private static String defaultHost() {
    String podIp = System.getenv("POD_IP");
    return podIp == null || podIp.isBlank() ? "127.0.0.1" : podIp.strip();
  }
}
