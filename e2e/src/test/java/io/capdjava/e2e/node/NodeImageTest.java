package io.capdjava.e2e.node;

import static io.capdjava.e2e.node.ClusterView.inCidr;
import static io.capdjava.e2e.node.ClusterView.lines;
import static io.capdjava.e2e.node.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capdjava.e2e.node.ClusterView.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The node image kindest/node:$KUBERNETES_VERSION built by {@code hack/images.sh node}, on the real Docker engine: a
 * control-plane node initialised by kubeadm and a worker that joins it become Ready without pulling anything, and the
 * cluster works: control-plane pods, pod addresses, pod traffic between nodes, DNS. The tests share one cluster and
 * run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class NodeImageTest {
  private static final String TEST = "NodeImageTest";
  private static final Duration KUBEADM_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration DOCKER_TIMEOUT = Duration.ofMinutes(1);

  private final String kubernetesVersion = versionsEnv().get("KUBERNETES_VERSION");
  private final String prefix = "capdjava-nodeimage-" + ProcessHandle.current().pid();
  private final String network = prefix;
  private final String token = KubeadmConfigs.newToken();
  private NodeContainer controlPlane;
  private NodeContainer worker;
  private ClusterView cluster;
  private long controlPlaneStartedNanos;
  private boolean clusterUp;
  private Map<String, String> hostKernelTunables;

  @BeforeAll
  void buildImageAndStartNodes() {
    buildImage();
    hostKernelTunables = hostKernelTunables();
    String image = "kindest/node:" + kubernetesVersion;
    DockerCli.docker(DOCKER_TIMEOUT, "network", "create", "--label", NodeContainer.TEST_LABEL + "=" + TEST, network);
    controlPlaneStartedNanos = System.nanoTime();
    controlPlane = NodeContainer.start(image, prefix + "-control-plane", network, TEST);
    worker = NodeContainer.start(image, prefix + "-worker", network, TEST);
    cluster = new ClusterView(controlPlane);
  }

  @AfterAll
  void removeNodesAndNetwork() {
    if (controlPlane != null) {
      controlPlane.remove();
    }
    if (worker != null) {
      worker.remove();
    }
    DockerCli.run(DOCKER_TIMEOUT, null, "network", "rm", network);
  }

  @Test
  @Order(1)
  void containerdHoldsEveryImageKubeadmNamesAndUsesItsPauseImage() {
    waitFor("containerd's CRI to answer", DOCKER_TIMEOUT, () -> controlPlane.tryExec("crictl", "info").ok(),
        controlPlane::diagnostics);
    List<String> wanted = kubeadmImages();
    Set<String> preloaded = new TreeSet<>(lines(controlPlane.exec("ctr", "-n", "k8s.io", "images", "ls", "-q")));

    assertEquals(7, wanted.size(), "apiserver, controller-manager, scheduler, proxy, coredns, pause, etcd: " + wanted);
    assertTrue(preloaded.containsAll(wanted), "preloaded " + preloaded + ", kubeadm wants " + wanted);
    String pause = kubeadmImage("pause");
    String criConfig = controlPlane.exec("crictl", "info");
    assertTrue(criConfig.contains("\"sandboxImage\": \"" + pause + "\""), "containerd's sandbox image is " + pause);
    assertTrue(criConfig.contains("\"SystemdCgroup\": true"), "containerd uses the systemd cgroup driver, as kubelet");
  }

  @Test
  @Order(2)
  void kubeadmInitAndJoinGiveReadyNodes() {
    String endpoint = controlPlane.name() + ":6443";
    controlPlane.writeFile(KubeadmConfigs.PATH,
        KubeadmConfigs.init("node-image-test", endpoint, kubernetesVersion, token));
    kubeadm(controlPlane, "init");
    worker.writeFile(KubeadmConfigs.PATH, KubeadmConfigs.join(endpoint, token));
    long joinStartedNanos = System.nanoTime();
    kubeadm(worker, "join");

    waitFor("both nodes to report Ready", READY_TIMEOUT,
        () -> cluster.readyNodes().containsAll(Set.of(controlPlane.name(), worker.name())), this::diagnostics);
    clusterUp = true;
    System.out.printf("[%s] control-plane node Ready %.1f s after docker run; worker Ready %.1f s after kubeadm join"
        + " started%n", TEST, seconds(controlPlaneStartedNanos), seconds(joinStartedNanos));
  }

  @Test
  @Order(3)
  void controlPlanePodsRunWithoutRestarts() {
    assumeTrue(clusterUp, "the cluster did not come up");
    waitFor("every pod in kube-system to be Running and Ready", READY_TIMEOUT,
        () -> !cluster.pods().isEmpty() && cluster.pods().stream().allMatch(Pod::runningAndReady), this::diagnostics);

    List<Pod> pods = cluster.pods();
    String cp = controlPlane.name();
    Set<String> names = pods.stream().map(Pod::name).collect(Collectors.toSet());
    for (String component : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
      assertTrue(names.contains("kube-system/" + component + "-" + cp), component + " runs on " + cp + ": " + names);
    }
    assertEquals(Set.of(cp, worker.name()), nodesRunning(pods, "kube-system/kube-proxy-"), "a kube-proxy per node");
    assertEquals(2, pods.stream().filter(p -> p.name().startsWith("kube-system/coredns-")).count(), "two CoreDNS");
    assertEquals(List.of(), pods.stream().filter(p -> p.restarts() > 0).toList(), "no container restarted");
  }

  @Test
  @Order(4)
  void podsGetAddressesFromTheirNodesPodCidrAndReachPodsOnOtherNodes() {
    assumeTrue(clusterUp, "the cluster did not come up");
    startProbe("probe-worker", worker);
    startProbe("probe-control-plane", controlPlane);

    for (Pod pod : cluster.pods()) {
      if (pod.ip().equals(cluster.internalIp(pod.node()))) {
        continue; // host network: static pods, kube-proxy
      }
      String cidr = cluster.podCidr(pod.node());
      assertTrue(inCidr(pod.ip(), cidr), pod.name() + " has " + pod.ip() + ", outside its node's pod CIDR " + cidr);
    }
    // kube-apiserver on the control-plane node connects to the pod on the worker (the route node-cni keeps) ...
    Command.Result version = cluster.getRaw("/api/v1/namespaces/default/pods/probe-worker:2379/proxy/version");
    assertTrue(version.ok() && version.output().contains("etcdserver"), "API server to pod: " + version.output());
    // ... and so does a pod on the control-plane node
    String fromPod = inProbeNetwork(controlPlane, "exec 3<>/dev/tcp/" + cluster.podIp("default/probe-worker")
        + "/2379 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
    assertTrue(fromPod.contains("\"health\":\"true\""), "pod to pod across nodes: " + fromPod);
  }

  @Test
  @Order(5)
  void podsResolveClusterNamesAndTheDockerNetworksNames() {
    assumeTrue(clusterUp, "the cluster did not come up");
    startProbe("probe-control-plane", controlPlane);
    String workerIp = cluster.internalIp(worker.name());
    // through CoreDNS, the nameserver kubelet gives pods ...
    String viaClusterDns = inProbeNetwork(controlPlane,
        "unshare --mount sh -c 'echo nameserver " + KubeadmConfigs.CLUSTER_DNS_IP + " >/tmp/resolv.conf"
            + " && mount --bind /tmp/resolv.conf /etc/resolv.conf"
            + " && getent hosts kubernetes.default.svc.cluster.local && getent hosts " + worker.name() + "'");
    assertTrue(viaClusterDns.contains(KubeadmConfigs.KUBERNETES_SERVICE_IP), "cluster name: " + viaClusterDns);
    assertTrue(viaClusterDns.contains(workerIp), "Docker network name through CoreDNS: " + viaClusterDns);
    // ... and through the node's resolver, which CoreDNS forwards to: Docker's embedded DNS, reached from a pod
    String viaNodeDns = inProbeNetwork(controlPlane, "getent hosts " + worker.name());
    assertTrue(viaNodeDns.contains(workerIp), "Docker network name from a pod: " + viaNodeDns);
  }

  @Test
  @Order(6)
  void kubeletLeavesTheHostsKernelTunablesAlone() {
    assumeTrue(clusterUp, "the cluster did not come up");
    // kubelet writes these when they differ from what it expects; in a container they are the host's
    assertEquals(hostKernelTunables, hostKernelTunables());
  }

  private static Map<String, String> hostKernelTunables() {
    Map<String, String> values = new TreeMap<>();
    for (String name : List.of("vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops",
        "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes")) {
      try {
        // not Files.readString: on /proc/sys files it returns the first byte only
        try (var in = Files.newInputStream(Path.of("/proc/sys", name))) {
          values.put(name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip());
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return values;
  }

  /**
   * A pod on {@code node} serving HTTP from a preloaded image, since nothing can be pulled: etcd, which answers
   * /version and /health on its client port. Its container is called "probe".
   */
  private void startProbe(String name, NodeContainer node) {
    if (cluster.podRunning("default/" + name)) {
      return;
    }
    cluster.apply(name, """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: default
        spec:
          nodeName: %s
          containers:
          - name: probe
            image: %s
            command: [etcd, --data-dir=/tmp/probe, --listen-client-urls=http://0.0.0.0:2379,
                      --advertise-client-urls=http://127.0.0.1:2379]
        """.formatted(name, node.name(), kubeadmImage("etcd")));
    waitFor(name + " to run", READY_TIMEOUT, () -> cluster.podRunning("default/" + name), this::diagnostics);
  }

  /** Runs a bash script in the network namespace of the probe pod on {@code node}, with the node's tools. */
  private static String inProbeNetwork(NodeContainer node, String script) {
    String pid = node.shell("crictl inspect --output go-template --template '{{.info.pid}}' "
        + "$(crictl ps --quiet --name '^probe$' | head -n 1)");
    return node.tryExec("nsenter", "--net=/proc/" + pid + "/ns/net", "bash", "-c", script).output();
  }

  /** Runs kubeadm as the bootstrap provider does: nodes in containers fail preflight checks that do not apply. */
  private void kubeadm(NodeContainer node, String command) {
    Command.Result result = DockerCli.run(KUBEADM_TIMEOUT, null, "exec", node.name(), "kubeadm", command, "--config",
        KubeadmConfigs.PATH, "--ignore-preflight-errors=all");
    if (!result.ok()) {
      fail("kubeadm " + command + " on " + node.name() + " failed:\n" + result.output() + "\n" + diagnostics());
    }
  }

  private List<String> kubeadmImages() {
    return lines(controlPlane.exec("kubeadm", "config", "images", "list", "--kubernetes-version", kubernetesVersion));
  }

  private String kubeadmImage(String name) {
    return kubeadmImages().stream().filter(ref -> ref.contains("/" + name + ":")).findFirst().orElseThrow();
  }

  private static Set<String> nodesRunning(List<Pod> pods, String namePrefix) {
    return pods.stream().filter(p -> p.name().startsWith(namePrefix)).map(Pod::node).collect(Collectors.toSet());
  }

  private String diagnostics() {
    return cluster.describe() + "\n" + controlPlane.diagnostics() + "\n" + worker.diagnostics();
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  /** Builds the image, or finds it up to date: the script rebuilds only what changed. */
  private static void buildImage() {
    Command.Result result = Command.run(Duration.ofMinutes(45), null,
        List.of("bash", repoRoot().resolve("hack/images.sh").toString(), "node"));
    if (!result.ok()) {
      fail("hack/images.sh node failed:\n" + result.output());
    }
  }

  private static Map<String, String> versionsEnv() {
    try {
      return Files.readAllLines(repoRoot().resolve("hack/versions.env")).stream()
          .filter(line -> line.matches("^[A-Z_]+=.*"))
          .map(line -> line.split("=", 2))
          .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path repoRoot() {
    Path path = Path.of("").toAbsolutePath();
    while (!Files.exists(path.resolve("hack/versions.env"))) {
      path = path.getParent();
    }
    return path;
  }
}
