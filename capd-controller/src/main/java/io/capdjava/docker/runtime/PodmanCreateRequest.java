package io.capdjava.docker.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ContainerSpec} as the body of Podman's native create call ({@code POST /v4.0.0/libpod/containers/create},
 * Podman's SpecGenerator). The same container the Docker path makes: network and address, restart policy, tmpfs,
 * anonymous volumes, binds, published ports, labels, env, and the security profile, which here also takes effect:
 * a private cgroup namespace, the device rule and unmasked system paths (Podman's compatible API drops all three),
 * plus explicit open-file and process limits (see {@link ContainerLimits}).
 */
final class PodmanCreateRequest {
  static final String PATH = "/v4.0.0/libpod/containers/create";

  private PodmanCreateRequest() {}

  static Map<String, Object> body(ContainerSpec spec, ContainerLimits limits) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", spec.name());
    body.put("hostname", spec.name());
    body.put("image", spec.image());
    body.put("terminal", true);
    body.put("labels", spec.labels());
    body.put("env", env(spec.env()));
    body.put("netns", Map.of("nsmode", "bridge"));
    Map<String, Object> network = new LinkedHashMap<>();
    if (spec.ipv4Address() != null) network.put("static_ips", List.of(spec.ipv4Address()));
    body.put("Networks", Map.of(spec.network(), network));
    body.put("restart_policy", "on-failure");
    body.put("restart_tries", 1);
    // as on dockerd: the image's entrypoint runs systemd, Podman must not set up a systemd mode of its own
    body.put("systemd", "false");
    body.put("mounts", mounts(spec));
    List<Map<String, Object>> volumes = new ArrayList<>();
    for (String path : spec.anonymousVolumes()) {
      volumes.add(Map.of("Name", "", "Dest", path, "Options", List.of(), "IsAnonymous", true));
    }
    body.put("volumes", volumes);
    List<Map<String, Object>> ports = new ArrayList<>();
    for (String port : spec.publishedPorts()) {
      String[] p = port.split("/", 2);
      // host_port 0: a free one, as the Docker path's empty host port
      ports.add(Map.of("host_ip", spec.listenAddress() == null ? "" : spec.listenAddress(),
          "container_port", Integer.parseInt(p[0]), "host_port", 0, "protocol", p.length == 2 ? p[1] : "tcp"));
    }
    body.put("portmappings", ports);
    body.put("seccomp_profile_path", "unconfined");
    body.put("apparmor_profile", "unconfined");
    body.put("cgroupns", Map.of("nsmode", "private"));
    if (spec.security().kind() == SecurityProfile.Kind.PRIVILEGED) {
      body.put("privileged", true);
    } else {
      body.put("cap_add", List.of("ALL"));
      body.put("cap_drop", spec.security().droppedCapabilities());
      body.put("unmask", List.of("ALL"));
      body.put("device_cgroup_rule", List.of(Map.of("allow", true, "type", "a", "access", "rwm")));
    }
    // Podman's default of 2048 processes per container is too few for a node running pods; dockerd sets none
    body.put("resource_limits", Map.of("pids", Map.of("limit", -1)));
    if (limits != null) {
      body.put("r_limits", List.of(
          Map.of("type", "nofile", "soft", limits.openFiles(), "hard", limits.openFiles()),
          Map.of("type", "nproc", "soft", limits.processes(), "hard", limits.processes())));
    }
    return body;
  }

  private static Map<String, String> env(List<String> env) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      map.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    return map;
  }

  private static List<Map<String, Object>> mounts(ContainerSpec spec) {
    List<Map<String, Object>> mounts = new ArrayList<>();
    spec.tmpfs().forEach((path, options) -> mounts.add(Map.of("destination", path, "type", "tmpfs",
        "source", "tmpfs", "options", options == null || options.isBlank() ? List.of() : List.of(options.split(",")))));
    for (String bind : spec.binds()) {
      // hostPath:containerPath[:options], as the Docker path's binds
      String[] b = bind.split(":", 3);
      List<String> options = new ArrayList<>(List.of("rbind"));
      if (b.length == 3) options.addAll(List.of(b[2].split(",")));
      mounts.add(Map.of("destination", b[1], "type", "bind", "source", b[0], "options", options));
    }
    return mounts;
  }
}
