package io.capdjava.e2e.chain;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Conditions;
import io.capdjava.docker.Labels;
import io.capdjava.docker.bootstrap.BootstrapRunner;
import io.capdjava.docker.bootstrap.BootstrapStep;
import io.capdjava.docker.bootstrap.CloudConfigCommands;
import io.capdjava.docker.bootstrap.KubeadmInContainers;
import io.capdjava.docker.loadbalancer.HAProxyConfig;
import io.capdjava.docker.loadbalancer.LoadBalancer;
import io.capdjava.docker.machine.NodeContainer;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.ExecResult;
import io.capdjava.docker.runtime.SecurityProfile;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Apply → Available of our providers against the raw limit of the same cluster (hack/bench.sh runs it; numbers go
 * into the note, nothing here asserts a time). First our providers bring up the cluster, and the time each hand-off
 * happened is read off the objects' conditions; its node containers' addresses, the load balancer's configuration and
 * each Machine's bootstrap data are kept, and the cluster is deleted (timed). Then the raw limit: the same containers
 * (same specs, same pinned addresses), the same bootstrap steps (the cloud-config as the Docker provider runs it: same
 * files, same kubeadm init and join commands), done directly against the engine with no controller and no waiting
 * between steps but the work itself: every container started at once, the control plane initialised, the join tokens
 * the bootstrap provider would have made created with kubeadm, control-plane joins one at a time (as KCP does), workers
 * at once, until every Node is Ready.
 */
@Tag("on-demand")
@Tag("bench")
@ExtendWith(ManagementPlaneExtension.class)
class CriticalPathBenchTest {
  private static final Pattern TOKEN = Pattern.compile("\\b([a-z0-9]{6}\\.[a-z0-9]{16})\\b");
  private static final Path REPORT = ClusterManifest.repoRoot().resolve("target/bench/critical-path.txt");

  @Test
  void oneControlPlaneAndOneWorker(ManagementPlane plane) throws Exception {
    measure(plane, 1, 1);
  }

  @Test
  void threeControlPlanesAndTwoWorkers(ManagementPlane plane) throws Exception {
    measure(plane, 3, 2);
  }

  /** A node of the cluster as the providers made it, and what the raw run needs to make it again. */
  record Node(String container, boolean controlPlane, boolean initializes, String address, String image,
      List<BootstrapStep> steps, Set<String> tokens, Instant created) {}

  private void measure(ManagementPlane plane, int controlPlanes, int workers) throws Exception {
    String shape = controlPlanes + " CP + " + workers + " worker" + (workers == 1 ? "" : "s");
    Providers providers = new Providers(plane.client(), plane.namespace());
    Instant applied = Instant.now();
    E2eCluster cluster = E2eCluster.create(plane, "bench", "bench", controlPlanes, workers, providers);
    List<String> report = new ArrayList<>();
    List<Node> nodes;
    String lbAddress;
    String lbConfig;
    String lbImage;
    double ours;
    double oursNodesReady;
    try {
      // as hack/quickstart.sh waits: every Machine Running (with its Node) and the Cluster Available (which CAPI core
      // may say before the last control plane Machines joined)
      QuickStartTest.waitFor("every Machine Running and the Cluster Available", Duration.ofMinutes(15), () -> {
        List<Machine> all = new ArrayList<>(cluster.machines(true));
        all.addAll(cluster.machines(false));
        boolean running = all.size() == controlPlanes + workers && all.stream().allMatch(E2eCluster::running)
            && all.stream().allMatch(m -> m.getStatus().nodeRef != null);
        return running && Conditions.isTrue(cluster.client.resources(Cluster.class).inNamespace(cluster.namespace)
            .withName(cluster.name).get().getStatus().conditions, "Available") ? Boolean.TRUE : null;
      });
      ours = seconds(applied, Instant.now());
      oursNodesReady = seconds(applied, cluster.workload().nodes().list().getItems().stream()
          .map(n -> ready(n)).max(Comparator.naturalOrder()).orElseThrow());
      report.add(String.format("%s, our providers: apply -> every Machine Running, Cluster Available %.1f s (every"
          + " Node Ready at %.1f s)",
          shape, ours, oursNodesReady));
      report.addAll(phases(cluster, applied));

      ContainerInfo lb = providers.runtime.find(cluster.name + "-lb").orElseThrow();
      lbAddress = lb.ipv4On(Labels.NETWORK);
      lbImage = lb.image();
      lbConfig = cluster.read(lb.name(), HAProxyConfig.CONFIG_PATH);
      nodes = nodes(cluster);
      Instant deleting = Instant.now();
      cluster.deleteAndCheckNothingIsLeft();
      report.add(String.format("%s, our providers: delete -> Cluster gone %.1f s", shape,
          seconds(deleting, Instant.now())));
    } finally {
      cluster.close();
    }

    // the providers' engine connection went with them
    DockerEngineRuntime runtime = DockerEngineRuntime.connect();
    SecurityProfile security = SecurityProfiles.choose("auto", runtime);
    try {
      Map<String, Double> raw = raw(runtime, security, cluster.name, lbAddress, lbImage, lbConfig, nodes);
      double limit = raw.get("every Node Ready");
      report.add(String.format("%s, raw limit: every Node Ready %.1f s; ratio ours/raw %.2f (Available), %.2f (Nodes"
          + " Ready)", shape, limit, ours / limit, oursNodesReady / limit));
      raw.forEach((phase, at) -> report.add(String.format("   raw %-44s %6.1f s", phase, at)));
    } finally {
      for (Node n : nodes) NodeContainer.remove(runtime, n.container());
      new LoadBalancer(runtime, cluster.name).remove();
      runtime.close();
    }
    Files.createDirectories(REPORT.getParent());
    Files.write(REPORT, report, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    report.forEach(l -> System.out.println("[bench] " + l));
  }

  /** When each hand-off happened, from the objects' conditions and timestamps (one-second resolution). */
  private static List<String> phases(E2eCluster cluster, Instant applied) {
    List<String> lines = new ArrayList<>();
    var dockerCluster = cluster.client.genericKubernetesResources("infrastructure.cluster.x-k8s.io/v1beta2",
        "DockerCluster").inNamespace(cluster.namespace).withName(cluster.name).get();
    lines.add(phase("load balancer available", applied, condition(dockerCluster, "LoadBalancerAvailable")));
    var kcp = cluster.client.genericKubernetesResources("controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane")
        .inNamespace(cluster.namespace).withName(cluster.kcpName()).get();
    lines.add(phase("control plane certificates", applied, condition(kcp, "CertificatesAvailable")));
    lines.add(phase("control plane initialized", applied, condition(kcp, "Initialized")));
    List<Machine> machines = new ArrayList<>(cluster.machines(true));
    machines.addAll(cluster.machines(false));
    machines.sort(Comparator.comparing(m -> m.getMetadata().getCreationTimestamp()));
    for (Machine m : machines) {
      String who = (m.getMetadata().getLabels().containsKey("cluster.x-k8s.io/control-plane") ? "CP " : "worker ")
          + m.getMetadata().getName().substring(cluster.name.length() + 1);
      lines.add(phase(who + ": Machine created", applied, Instant.parse(m.getMetadata().getCreationTimestamp())));
      for (String type : List.of("BootstrapConfigReady", "InfrastructureReady", "NodeReady", "Available")) {
        Conditions.get(m.getStatus().conditions, type).filter(c -> "True".equals(c.getStatus()))
            .ifPresent(c -> lines.add(phase(who + ": " + type, applied, Instant.parse(c.getLastTransitionTime()))));
      }
    }
    return lines;
  }

  private static Instant condition(io.fabric8.kubernetes.api.model.GenericKubernetesResource o, String type) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) ((Map<String, Object>) o
        .getAdditionalProperties().get("status")).get("conditions");
    return conditions.stream().filter(c -> type.equals(c.get("type")) && "True".equals(c.get("status")))
        .map(c -> Instant.parse((String) c.get("lastTransitionTime"))).findFirst().orElse(null);
  }

  private static String phase(String what, Instant applied, Instant at) {
    return at == null ? String.format("   ours %-44s      -", what)
        : String.format("   ours %-44s %6.0f s", what, seconds(applied, at));
  }

  private static Instant ready(io.fabric8.kubernetes.api.model.Node n) {
    return n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(c -> Instant.parse(c.getLastTransitionTime())).findFirst().orElseThrow();
  }

  /** The cluster's nodes in the order the raw run bootstraps them: the initializing one, the other CPs, workers. */
  private static List<Node> nodes(E2eCluster cluster) {
    KubeadmInContainers kubeadm = new KubeadmInContainers();
    List<Node> nodes = new ArrayList<>();
    List<Machine> machines = new ArrayList<>(cluster.machines(true));
    machines.addAll(cluster.machines(false));
    for (Machine m : machines) {
      String container = m.getStatus().nodeRef.name;
      ContainerInfo info = cluster.providers.runtime.find(container).orElseThrow();
      String data = new String(ClusterSecrets.data(cluster.client.secrets().inNamespace(cluster.namespace)
          .withName(m.getSpec().bootstrap.dataSecretName).get(), "value").orElseThrow(), StandardCharsets.UTF_8);
      List<BootstrapStep> steps = CloudConfigCommands.parse(data, kubeadm);
      Set<String> tokens = new LinkedHashSet<>();
      for (BootstrapStep s : steps) {
        if (s.input() == null) continue;
        Matcher t = TOKEN.matcher(new String(s.input(), StandardCharsets.UTF_8));
        while (t.find()) tokens.add(t.group(1));
      }
      boolean controlPlane = m.getMetadata().getLabels().containsKey("cluster.x-k8s.io/control-plane");
      boolean initializes = steps.stream().anyMatch(s -> String.join(" ", s.command()).contains("kubeadm init"));
      nodes.add(new Node(container, controlPlane, initializes, info.ipv4On(Labels.NETWORK), info.image(), steps,
          tokens, Instant.parse(m.getMetadata().getCreationTimestamp())));
    }
    nodes.sort(Comparator.comparing((Node n) -> !n.initializes()).thenComparing(n -> !n.controlPlane())
        .thenComparing(Node::created));
    return nodes;
  }

  /** The raw run; the time of each phase from its start, in seconds. */
  private static Map<String, Double> raw(ContainerRuntime runtime, SecurityProfile security, String cluster,
      String lbAddress, String lbImage, String lbConfig, List<Node> nodes) throws Exception {
    Map<String, Double> at = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    Instant start = Instant.now();
    CompletableFuture<Void> lb = CompletableFuture.runAsync(() -> {
      LoadBalancer balancer = new LoadBalancer(runtime, cluster);
      balancer.create(lbImage, security, lbAddress);
      balancer.apply(lbConfig);
      at.put("load balancer configured", seconds(start, Instant.now()));
    });
    Map<String, CompletableFuture<Void>> systemd = new LinkedHashMap<>();
    for (Node n : nodes) {
      systemd.put(n.container(), CompletableFuture.runAsync(() -> {
        runtime.run(NodeContainer.spec(cluster, n.container(), n.image(), n.controlPlane(), null, List.of(), security)
            .withIpv4Address(n.address()));
        waitForSystemd(runtime, n.container());
        at.put(n.container().substring(cluster.length() + 1) + ": container + systemd", seconds(start, Instant.now()));
      }));
    }
    Node first = nodes.get(0);
    systemd.get(first.container()).join();
    lb.join();
    bootstrap(runtime, first);
    at.put("kubeadm init done", seconds(start, Instant.now()));
    // the join tokens the bootstrap provider creates through the workload API, made here by kubeadm
    for (Node n : nodes.subList(1, nodes.size())) {
      for (String token : n.tokens()) {
        exec(runtime, first.container(), "kubeadm token create " + token + " --ttl 30m --kubeconfig "
            + "/etc/kubernetes/admin.conf");
      }
    }
    at.put("join tokens created", seconds(start, Instant.now()));
    CompletableFuture<Void> controlPlaneJoins = CompletableFuture.runAsync(() -> {
      for (Node n : nodes.subList(1, nodes.size())) {
        if (!n.controlPlane()) continue;
        systemd.get(n.container()).join();
        bootstrap(runtime, n);
        at.put(n.container().substring(cluster.length() + 1) + ": joined", seconds(start, Instant.now()));
      }
    });
    List<CompletableFuture<Void>> workerJoins = new ArrayList<>();
    for (Node n : nodes) {
      if (n.controlPlane()) continue;
      workerJoins.add(CompletableFuture.runAsync(() -> {
        systemd.get(n.container()).join();
        bootstrap(runtime, n);
        at.put(n.container().substring(cluster.length() + 1) + ": joined", seconds(start, Instant.now()));
      }));
    }
    controlPlaneJoins.join();
    workerJoins.forEach(CompletableFuture::join);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (true) {
      ExecResult r = runtime.exec(first.container(), List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf",
          "get", "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"),
          Duration.ofSeconds(10));
      List<String> ready = r.output().strip().lines().toList();
      if (ready.size() == nodes.size() && ready.stream().allMatch("True"::equals)) break;
      if (Instant.now().isAfter(deadline)) throw new IllegalStateException("raw run: nodes not Ready: " + r.output());
      Thread.sleep(250);
    }
    at.put("every Node Ready", seconds(start, Instant.now()));
    return at;
  }

  private static void waitForSystemd(ContainerRuntime runtime, String container) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      String state = runtime.exec(container, BootstrapRunner.SYSTEMD_BOOT_FINISHED, Duration.ofSeconds(15))
          .output().strip();
      if (state.equals("running") || state.equals("degraded")) return;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("systemd in " + container + " did not come up");
  }

  /** The Docker provider's bootstrap steps, one exec each, nothing between them. */
  private static void bootstrap(ContainerRuntime runtime, Node n) {
    for (BootstrapStep s : n.steps()) {
      if (s.input() != null) runtime.copyFile(n.container(), BootstrapStep.INPUT_PATH, s.input());
      ExecResult r = runtime.exec(n.container(), s.command(), Duration.ofMinutes(5));
      if (!r.succeeded()) {
        throw new IllegalStateException(n.container() + ": '" + s.description() + "' failed: " + r.tail(20));
      }
    }
    if (runtime.exec(n.container(), List.of("test", "-f", BootstrapRunner.SUCCESS_SENTINEL), Duration.ofSeconds(10))
        .exitCode() != 0) {
      throw new IllegalStateException(n.container() + ": bootstrap did not write its success marker");
    }
  }

  private static void exec(ContainerRuntime runtime, String container, String command) {
    ExecResult r = runtime.exec(container, List.of("sh", "-c", command), Duration.ofMinutes(1));
    if (!r.succeeded()) throw new IllegalStateException(container + ": '" + command + "' failed: " + r.tail(10));
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
