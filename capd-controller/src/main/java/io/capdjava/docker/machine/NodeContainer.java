package io.capdjava.docker.machine;

import io.capdjava.api.infrastructure.v1beta2.Mount;
import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerSpec;
import io.capdjava.docker.runtime.SecurityProfile;
import java.nio.file.Files;
import java.nio.file.Path;
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
