package io.capdjava.docker.machine;

import io.capdjava.api.infrastructure.v1beta2.Mount;
import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.ContainerSpec;
import io.capdjava.docker.runtime.SecurityProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container of one Machine, {@code <cluster>-<machine>} (or the machine's name when it already starts with the
 * cluster's), with upstream CAPD's flags: tmpfs {@code /run} and {@code /tmp}, an anonymous volume for {@code /var}
 * (nested containerd's overlayfs needs it), {@code /lib/modules} read-only when the host has it, the DockerMachine's
 * extra mounts, kind's labels with the role and failure domain, and for control-plane nodes 6443 published on
 * 127.0.0.1 and {@code KUBECONFIG} pointing at the admin kubeconfig.
 */
public final class NodeContainer {
  private NodeContainer() {}

  public static String name(String cluster, String machine) {
    return machine.startsWith(cluster) ? machine : cluster + "-" + machine;
  }

  /**
   * Every frozen freezer cgroup in a node thawed (cgroup v1 {@code freezer.state}, v2 {@code cgroup.freeze}). runc
   * freezes a pod container's cgroup while it sets it up with the systemd driver; killed in that moment (a node
   * deleted while kubelet starts static pods), it leaves the cgroup frozen, and a frozen task takes no SIGKILL, so
   * the engine cannot remove the node ("tried to kill container, but did not receive an exit event") until thawed.
   */
  static final List<String> THAW_FROZEN_CGROUPS = List.of("sh", "-c",
      // kubelet first, so that no pod container is being set up (and frozen) when the node is killed
      "systemctl kill --signal=SIGKILL kubelet.service >/dev/null 2>&1;"
          + " for f in $(find /sys/fs/cgroup/freezer -name freezer.state 2>/dev/null); do"
          + " grep -q FROZEN \"$f\" && echo THAWED > \"$f\"; done;"
          + " for f in $(find /sys/fs/cgroup -name cgroup.freeze 2>/dev/null); do"
          + " grep -q 1 \"$f\" && echo 0 > \"$f\"; done; true");

  /** Removes a node container with its volumes, thawing what would keep it from dying first (best effort). */
  public static void remove(ContainerRuntime runtime, String name) {
    runtime.find(name).filter(ContainerInfo::running).ifPresent(c -> {
      try {
        runtime.exec(name, THAW_FROZEN_CGROUPS, Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        // a node whose exec fails is removed all the same; the engine says if that fails
      }
    });
    runtime.remove(name);
  }

  public static ContainerSpec spec(
      String cluster,
      String machine,
      String image,
      boolean controlPlane,
      String failureDomain,
      List<Mount> extraMounts,
      SecurityProfile security) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.CLUSTER, cluster);
    labels.put(Labels.ROLE, controlPlane ? Labels.ROLE_CONTROL_PLANE : Labels.ROLE_WORKER);
    if (failureDomain != null && !failureDomain.isEmpty()) labels.put(Labels.FAILURE_DOMAIN, failureDomain);

    List<String> binds = new ArrayList<>();
    if (extraMounts != null) {
      for (Mount m : extraMounts) {
        binds.add(m.hostPath + ":" + m.containerPath + (Boolean.TRUE.equals(m.readOnly) ? ":ro" : ""));
      }
    }
    // upstream binds /lib/modules unconditionally, which makes the engine create an empty one on hosts without it
    if (Files.isDirectory(Path.of("/lib/modules"))) binds.add("/lib/modules:/lib/modules:ro");

    List<String> env = new ArrayList<>(proxyEnvironment());
    if (controlPlane) env.add("KUBECONFIG=/etc/kubernetes/admin.conf");
    return new ContainerSpec(
        name(cluster, machine),
        image,
        Labels.NETWORK,
        labels,
        env,
        Map.of("/tmp", "", "/run", ""),
        List.of("/var"),
        binds,
        controlPlane ? List.of("6443/tcp") : List.of(),
        "127.0.0.1",
        security);
  }

  /** The provider's proxy settings, passed on so nodes can reach what the provider can. */
  private static List<String> proxyEnvironment() {
    List<String> env = new ArrayList<>();
    for (String key : List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")) {
      String value = System.getenv(key);
      if (value != null && !value.isEmpty()) env.add(key + "=" + value);
    }
    return env;
  }
}
