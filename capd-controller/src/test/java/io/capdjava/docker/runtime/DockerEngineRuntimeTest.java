package io.capdjava.docker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime against the real Docker engine (hack/docker.sh starts one; hack/images.sh builds the base image). */
class DockerEngineRuntimeTest {
  static final String BASE_IMAGE = "capd-java/debian-base:bookworm";
  static DockerEngineRuntime runtime;
  static final String NAME = "capd-java-runtime-test-" + ProcessHandle.current().pid();

  @BeforeAll
  static void connect() {
    runtime = DockerEngineRuntime.connect();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    runtime.remove(NAME);
    runtime.close();
  }

  @Test
  void containerRunsIsFoundByLabelsExecsWithStdinAndIsRemovedWithItsVolume() {
    SecurityProfile profile = SecurityProfiles.choose("auto", runtime);
    runtime.ensureNetwork("kind");
    ContainerInfo info = runtime.run(new ContainerSpec(NAME, BASE_IMAGE, "kind",
        Map.of("io.x-k8s.kind.cluster", NAME, "io.x-k8s.kind.role", "worker"), List.of("GREETING=hi"),
        Map.of("/tmp", ""), List.of("/var"), List.of(), List.of("6443/tcp"), "127.0.0.1", profile));

    assertTrue(info.running());
    assertFalse(info.ipv4On("kind").isEmpty(), "has an address on the kind network");
    assertTrue(info.publishedPorts().get("6443/tcp") > 0, "6443 published on a random host port");
    assertEquals(List.of(NAME), runtime.list(Map.of("io.x-k8s.kind.cluster", NAME)).stream().map(ContainerInfo::name).toList());

    runtime.copyFile(NAME, "/etc/capd-java/deep/f", "content\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("content", runtime.exec(NAME, List.of("cat", "/etc/capd-java/deep/f"), Duration.ofSeconds(20))
        .output().strip());
    ExecResult env = runtime.exec(NAME, List.of("sh", "-c", "echo $GREETING"), Duration.ofSeconds(20));
    assertEquals(0, env.exitCode());
    assertEquals("hi", env.output().strip());
    ExecResult failing = runtime.exec(NAME, List.of("sh", "-c", "echo oops >&2; exit 3"), Duration.ofSeconds(20));
    assertEquals(3, failing.exitCode());
    assertEquals("oops", failing.tail(1));
    ExecResult slow = runtime.exec(NAME, List.of("sleep", "30"), Duration.ofSeconds(1));
    assertTrue(slow.timedOut());

    runtime.remove(NAME);
    assertTrue(runtime.find(NAME).isEmpty());
    runtime.remove(NAME); // removing what is gone is not an error
  }

  /**
   * After an engine restart containers come back in any order; with addresses handed out afresh, one could take the
   * address another (the load balancer an endpoint names) had. Each keeps the one it first got instead.
   */
  @Test
  void aStoppedContainerKeepsItsAddressAndGetsItBackWhenStarted() {
    SecurityProfile profile = SecurityProfiles.choose("auto", runtime);
    runtime.ensureNetwork("kind");
    List<String> names = List.of(NAME + "-a", NAME + "-b");
    try {
      ContainerInfo a = runtime.run(new ContainerSpec(names.get(0), BASE_IMAGE, "kind", Map.of(), List.of(), Map.of(),
          List.of(), List.of(), List.of(), "127.0.0.1", profile));
      String address = a.ipv4On("kind");
      runtime.kill(names.get(0), "KILL");
      waitUntilStopped(names.get(0));
      ContainerInfo b = runtime.run(new ContainerSpec(names.get(1), BASE_IMAGE, "kind", Map.of(), List.of(), Map.of(),
          List.of(), List.of(), List.of(), "127.0.0.1", profile));
      assertFalse(b.ipv4On("kind").equals(address), "the stopped container's address " + address + " stays its own");
      runtime.start(names.get(0));
      assertEquals(address, runtime.find(names.get(0)).orElseThrow().ipv4On("kind"));
    } finally {
      names.forEach(runtime::remove);
    }
  }

  /**
   * Docker refuses a fixed address on a network whose subnet it chose itself ("user specified IP address is supported
   * only when connecting to networks with user configured subnets"): the network the provider makes names its subnet,
   * and on one made elsewhere without it containers still run, on whatever address the engine gives.
   */
  @Test
  void onTheNetworkItMakesContainersGetFixedAddressesAndOnOneMadeWithoutASubnetTheyStillRun() throws Exception {
    SecurityProfile profile = SecurityProfiles.choose("auto", runtime);
    String made = NAME + "-made";
    String foreign = NAME + "-foreign";
    try {
      runtime.ensureNetwork(made);
      ContainerInfo pinned = runtime.run(new ContainerSpec(made, BASE_IMAGE, made, Map.of(), List.of(), Map.of(),
          List.of(), List.of(), List.of(), "127.0.0.1", profile));
      assertFalse(pinned.ipv4On(made).isEmpty());
      Process create = new ProcessBuilder("docker", "network", "create", foreign).redirectErrorStream(true).start();
      assertEquals(0, create.waitFor(), new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      ContainerInfo unpinned = runtime.run(new ContainerSpec(foreign, BASE_IMAGE, foreign, Map.of(), List.of(),
          Map.of(), List.of(), List.of(), List.of(), "127.0.0.1", profile));
      assertFalse(unpinned.ipv4On(foreign).isEmpty());
    } finally {
      for (String name : List.of(made, foreign)) {
        runtime.remove(name);
        new ProcessBuilder("docker", "network", "rm", name).redirectErrorStream(true).start().waitFor();
      }
    }
  }

  private static void waitUntilStopped(String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (runtime.find(name).map(ContainerInfo::running).orElse(false)) {
      if (System.nanoTime() > deadline) throw new AssertionError(name + " still runs");
      Thread.onSpinWait();
    }
  }

  @Test
  void providersProbingOneEngineAtOnceGetTheSameAnswerAndLeaveNoProbe() throws Exception {
    boolean alone = runtime.privilegedAllowed(BASE_IMAGE);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) answers.add(pool.submit(() -> runtime.privilegedAllowed(BASE_IMAGE)));
      for (var answer : answers) assertEquals(alone, answer.get(60, TimeUnit.SECONDS), "a probe beside others");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), runtime.list(Map.of(DockerEngineRuntime.PROBE_LABEL, "privilege")), "no probe left");
  }

  @Test
  void engineReportsItsCapacity() {
    EngineInfo info = runtime.info();
    assertTrue(info.cpus() >= 1);
    assertTrue(info.memoryBytes() > 512L * 1024 * 1024);
  }

  @Test
  void nodesGetAPrivateCgroupNamespaceInEitherProfileAsKindImagesNeed() {
    for (SecurityProfile profile : List.of(SecurityProfile.privileged(), SecurityProfile.restricted(List.of("SYS_RESOURCE")))) {
      var host = DockerEngineRuntime.hostConfig(new ContainerSpec("n", BASE_IMAGE, "kind", Map.of(), List.of(),
          Map.of("/run", ""), List.of("/var"), List.of(), List.of(), "127.0.0.1", profile));
      assertEquals("private", host.getCgroupnsMode(), profile + ": kind >= 0.20 images run in their own cgroup namespace");
      assertEquals(profile.kind() == SecurityProfile.Kind.PRIVILEGED, Boolean.TRUE.equals(host.getPrivileged()));
    }
  }

  @Test
  void containerEventsOfLabelledContainersAreStreamed() throws Exception {
    String name = NAME + "-events";
    List<ContainerEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (AutoCloseable watch = runtime.watchContainers("capd-java.test/events", seen::add)) {
      runtime.ensureNetwork("kind");
      runtime.run(new ContainerSpec(name, BASE_IMAGE, "kind", Map.of("capd-java.test/events", name), List.of(),
          Map.of(), List.of(), List.of(), List.of(), "127.0.0.1", SecurityProfiles.choose("auto", runtime)));
      runtime.remove(name);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && seen.stream().noneMatch(e -> e.action().equals("destroy"))) {
        Thread.sleep(100);
      }
    } finally {
      runtime.remove(name);
    }
    List<String> actions = seen.stream().filter(e -> e.name().equals(name)).map(ContainerEvent::action).toList();
    assertTrue(actions.containsAll(List.of("create", "start", "die", "destroy")), actions.toString());
    assertTrue(seen.stream().filter(e -> e.action().equals("die")).allMatch(ContainerEvent::stoppedRunning));
    assertTrue(seen.stream().filter(e -> !e.action().equals("die")).noneMatch(ContainerEvent::stoppedRunning));
    assertEquals(name, seen.get(0).labels().get("capd-java.test/events"));
  }

  @Test
  void watchersOfTheSameContainersShareOneStreamAndGetOnlyTheActionsTheyAskFor() throws Exception {
    String name = NAME + "-shared-events";
    String label = "capd-java.test/shared-events";
    List<ContainerEvent> first = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<ContainerEvent> second = new java.util.concurrent.CopyOnWriteArrayList<>();
    int before = runtime.openEventStreams();
    try (AutoCloseable a = runtime.watchContainers(label, java.util.Set.of(ContainerEvent.DIE), first::add);
        AutoCloseable b = runtime.watchContainers(label, java.util.Set.of(ContainerEvent.DIE), second::add)) {
      assertEquals(before + 1, runtime.openEventStreams(), "one stream for both watchers");
      runtime.ensureNetwork("kind");
      runtime.run(new ContainerSpec(name, BASE_IMAGE, "kind", Map.of(label, name), List.of(), Map.of(), List.of(),
          List.of(), List.of(), "127.0.0.1", SecurityProfiles.choose("auto", runtime)));
      assertEquals(0, runtime.exec(name, List.of("true"), Duration.ofSeconds(20)).exitCode());
      runtime.remove(name);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && (first.isEmpty() || second.isEmpty())) Thread.sleep(100);
      a.close();
      assertEquals(before + 1, runtime.openEventStreams(), "the stream stays while a watcher is left");
    } finally {
      runtime.remove(name);
    }
    assertEquals(before, runtime.openEventStreams(), "closed with its last watcher");
    for (List<ContainerEvent> seen : List.of(first, second)) {
      assertEquals(List.of(ContainerEvent.DIE), seen.stream().map(ContainerEvent::action).toList(),
          "only the container's end, not its create, start or exec events: " + seen);
      assertEquals(name, seen.get(0).name());
    }
  }
}
