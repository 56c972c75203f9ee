package io.capdjava.e2e.node;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The workload cluster as kubectl in a control-plane node shows it, with the admin kubeconfig kubeadm wrote. */
final class ClusterView {
  private final NodeContainer controlPlane;

  ClusterView(NodeContainer controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** One pod as {@code kubectl get pods -A} shows it; {@code restarts} sums its containers' restarts. */
  record Pod(String name, String node, String phase, String ready, String ip, int restarts) {
    boolean runningAndReady() {
      return phase.equals("Running") && ready.equals("True");
    }
  }

  /** Every pod, named namespace/name; empty while the API server does not answer. */
  List<Pod> pods() {
    Command.Result result = controlPlane.kubectl("get", "pods", "-A", "-o",
        "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}|{.spec.nodeName}|{.status.phase}"
            + "|{.status.conditions[?(@.type==\"Ready\")].status}|{.status.podIP}"
            + "|{.status.containerStatuses[*].restartCount}{\"\\n\"}{end}");
    if (!result.ok()) {
      return List.of();
    }
    return lines(result.output()).stream()
        .map(line -> line.split("\\|", -1))
        .filter(fields -> fields.length == 6)
        .map(f -> new Pod(f[0], f[1], f[2], f[3], f[4],
            Arrays.stream(f[5].split(" ")).filter(s -> !s.isBlank()).mapToInt(Integer::parseInt).sum()))
        .toList();
  }

  boolean podRunning(String name) {
    return pods().stream().anyMatch(p -> p.name().equals(name) && p.runningAndReady());
  }

  String podIp(String name) {
    return pods().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().ip();
  }

  /** Names of the nodes whose Ready condition is True. */
  Set<String> readyNodes() {
    Command.Result result = controlPlane.kubectl("get", "nodes", "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
    if (!result.ok()) {
      return Set.of();
    }
    return lines(result.output()).stream()
        .map(line -> line.split(" "))
        .filter(fields -> fields.length == 2 && fields[1].equals("True"))
        .map(fields -> fields[0])
        .collect(Collectors.toSet());
  }

  String podCidr(String node) {
    return controlPlane.kubectl("get", "node", node, "-o", "jsonpath={.spec.podCIDR}").output().strip();
  }

  String internalIp(String node) {
    return controlPlane.kubectl("get", "node", node, "-o",
        "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").output().strip();
  }

  /** Applies a manifest written into the control-plane node. */
  void apply(String name, String manifest) {
    String path = "/tmp/" + name + ".yaml";
    controlPlane.writeFile(path, manifest);
    Command.Result applied = controlPlane.kubectl("apply", "-f", path);
    if (!applied.ok()) {
      throw new IllegalStateException("kubectl apply -f " + path + " failed:\n" + applied.output());
    }
  }

  /** GET on the API server's path, as {@code kubectl get --raw}. */
  Command.Result getRaw(String path) {
    return controlPlane.kubectl("get", "--raw", path);
  }

  String describe() {
    return "$ kubectl get nodes,pods -A -o wide\n"
        + controlPlane.kubectl("get", "nodes,pods", "-A", "-o", "wide").output();
  }

  static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  /** Whether an IPv4 address lies in a CIDR block. */
  static boolean inCidr(String ip, String cidr) {
    String[] parts = cidr.split("/");
    if (parts.length != 2 || ip.isEmpty()) {
      return false;
    }
    int bits = Integer.parseInt(parts[1]);
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return (ipv4(ip) & mask) == (ipv4(parts[0]) & mask);
  }

  private static long ipv4(String address) {
    long value = 0;
    for (String octet : address.split("\\.")) {
      value = (value << 8) | Integer.parseInt(octet);
    }
    return value;
  }
}
