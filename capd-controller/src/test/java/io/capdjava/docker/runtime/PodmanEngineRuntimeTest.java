package io.capdjava.docker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The runtime against Podman's real Docker-compatible service (hack/podman.sh starts it and copies the base image
 * into it; hack/test.sh runs this group). A container made here must have what a node needs, which Podman's
 * compatible API silently drops: its own cgroup namespace, a writable /proc/sys, every device, and limits the
 * service can set on this host (as root Podman would raise them to 1048576, which needs CAP_SYS_RESOURCE).
 */
@Tag("podman")
class PodmanEngineRuntimeTest {
  static final String SOCKET = System.getenv().getOrDefault("PODMAN_SOCKET", "/run/podman/podman.sock");
  static final String NETWORK = "capd-java-podman-test";
  static final String NAME = "capd-java-podman-test-" + ProcessHandle.current().pid();
  static DockerEngineRuntime runtime;

  @BeforeAll
  static void connect() {
    assertTrue(Files.exists(Path.of(SOCKET)), "no Podman socket at " + SOCKET + " (hack/podman.sh starts one)");
    runtime = DockerEngineRuntime.connect("unix://" + SOCKET, null);
    assertTrue(runtime.imagePresent(DockerEngineRuntimeTest.BASE_IMAGE),
        DockerEngineRuntimeTest.BASE_IMAGE + " is not in Podman's storage (hack/podman.sh images copies it)");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (String suffix : List.of("", "-a", "-b", "-limits")) runtime.remove(NAME + suffix);
    runtime.releaseNetwork(NETWORK);
    runtime.close();
  }

  @Test
  void aNodeContainerGetsItsOwnCgroupNamespaceWritableProcSysAndTheServicesLimits() {
    assertEquals(EngineKind.PODMAN, runtime.engine());
    SecurityProfile profile = SecurityProfiles.choose("auto", runtime);
    runtime.ensureNetwork(NETWORK);
    ContainerInfo info = runtime.run(new ContainerSpec(NAME, DockerEngineRuntimeTest.BASE_IMAGE, NETWORK,
        Map.of("io.x-k8s.kind.cluster", NAME), List.of("GREETING=hi"), Map.of("/tmp", "rw,nosuid"), List.of("/var"),
        List.of(), List.of("6443/tcp"), "127.0.0.1", profile));

    assertTrue(info.running());
    assertTrue(info.publishedPorts().get("6443/tcp") > 0, "6443 published on a random host port");
    assertEquals(List.of(NAME), runtime.list(Map.of("io.x-k8s.kind.cluster", NAME)).stream()
        .map(ContainerInfo::name).toList());
    assertEquals("hi", sh("echo $GREETING"));
    // a private cgroup namespace: the container's own cgroup is its root (the compatible API would leave the host's
    // path, and the kubelet then fails with "cgroup [kubepods] has some missing paths")
    assertTrue(sh("cat /proc/self/cgroup").lines().allMatch(l -> l.endsWith(":/")), sh("cat /proc/self/cgroup"));
    // /proc/sys writable (kube-proxy and the kubelet set sysctls)
    assertEquals("0", sh("echo 1 > /proc/sys/net/ipv4/ip_forward && echo $?"));
    // tmpfs with its options, and the anonymous volume
    assertTrue(sh("grep ' /tmp ' /proc/mounts").contains("tmpfs"));
    assertTrue(sh("grep ' /var ' /proc/mounts").contains("/var"), "/var is a volume");
    ContainerLimits service = ContainerLimits.ofListeningProcess(SOCKET).orElseThrow();
    assertEquals(service.openFiles() + " " + service.processes(),
        sh("awk '/^Max open files/{f=$5} /^Max processes/{p=$4} END{print f, p}' /proc/self/limits"));
    if (profile.kind() == SecurityProfile.Kind.RESTRICTED) {
      // every capability but the dropped ones, and every device allowed (the kubelet's containerd makes device nodes)
      assertEquals("a *:* rwm", sh("cat /sys/fs/cgroup/devices/devices.list"));
    }

    Set<String> volumesBefore = volumes();
    assertFalse(volumesBefore.isEmpty());
    runtime.remove(NAME);
    assertTrue(runtime.find(NAME).isEmpty());
    assertTrue(volumes().size() < volumesBefore.size(), "the anonymous /var volume went with the container");
  }

  /** As on dockerd: a container keeps the address it first got, and the network goes with the last container. */
  @Test
  void addressesArePinnedAndTheNetworkIsReleasedWithTheLastContainer() {
    SecurityProfile profile = SecurityProfiles.choose("auto", runtime);
    runtime.ensureNetwork(NETWORK);
    ContainerInfo a = runtime.run(new ContainerSpec(NAME + "-a", DockerEngineRuntimeTest.BASE_IMAGE, NETWORK, Map.of(),
        List.of(), Map.of(), List.of(), List.of(), List.of(), "127.0.0.1", profile));
    ContainerInfo b = runtime.run(new ContainerSpec(NAME + "-b", DockerEngineRuntimeTest.BASE_IMAGE, NETWORK, Map.of(),
        List.of(), Map.of(), List.of(), List.of(), List.of(), "127.0.0.1", profile));
    assertNotEquals(a.ipv4On(NETWORK), b.ipv4On(NETWORK));
    String subnet = runtime.networkSubnets(NETWORK).get(0);
    assertEquals(Ipv4Subnet.firstFree(subnet, Set.of(gateway(subnet))).orElseThrow(), a.ipv4On(NETWORK),
        "the first container takes the lowest free address");

    runtime.remove(NAME + "-a");
    runtime.releaseNetwork(NETWORK);
    assertFalse(runtime.networkSubnets(NETWORK).isEmpty(), "a network still in use stays");
    runtime.remove(NAME + "-b");
    runtime.releaseNetwork(NETWORK);
    assertTrue(runtime.networkSubnets(NETWORK).isEmpty(), "Podman's network goes with the last container");
  }

  /** Where Podman cannot set the limits asked for, the error says which flag sets ones it can. */
  @Test
  void limitsThePodmanServiceCannotSetAreRefusedNamingTheFlag() throws Exception {
    ContainerLimits service = ContainerLimits.ofListeningProcess(SOCKET).orElseThrow();
    long beyond = service.openFiles() * 2;
    try (DockerEngineRuntime asking = DockerEngineRuntime.connect("unix://" + SOCKET,
        "nofile=" + beyond + ",nproc=" + service.processes())) {
      SecurityProfile profile = SecurityProfiles.choose("auto", asking);
      org.junit.jupiter.api.Assumptions.assumeTrue(profile.kind() == SecurityProfile.Kind.RESTRICTED,
          "this host has CAP_SYS_RESOURCE: Podman may raise limits here");
      asking.ensureNetwork(NETWORK);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> asking.run(new ContainerSpec(
          NAME + "-limits", DockerEngineRuntimeTest.BASE_IMAGE, NETWORK, Map.of(), List.of(), Map.of(), List.of(),
          List.of(), List.of(), "127.0.0.1", profile)));
      assertTrue(e.getMessage().contains("--podman-limits=nofile=N,nproc=M"), e.getMessage());
      assertTrue(asking.find(NAME + "-limits").isEmpty(), "the container that could not start is not left behind");
    }
  }

  private static String gateway(String subnet) {
    // Podman's networks, as dockerd's, have the subnet's first address as gateway
    return Ipv4Subnet.firstFree(subnet, Set.of()).orElseThrow();
  }

  private static Set<String> volumes() {
    try {
      Process p = new ProcessBuilder("podman", "--url", "unix://" + SOCKET, "volume", "ls", "-q").start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out.lines().filter(l -> !l.isBlank()).collect(Collectors.toSet());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sh(String command) {
    ExecResult r = runtime.exec(NAME, List.of("sh", "-c", command), Duration.ofSeconds(20));
    assertEquals(0, r.exitCode(), command + ": " + r.output());
    return r.output().strip();
  }
}
