package io.capdjava.e2e.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.testenv.ManagementPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One workload cluster of an end-to-end test, from the quick-start manifest, with our providers running: what the
 * scale tests read from it (Machines, the KubeadmControlPlane, Nodes and etcd members of the workload cluster) and
 * its deletion, which must leave no container, volume, secret or configmap. {@link #close} removes whatever is left
 * even when the test failed.
 */
final class E2eCluster implements AutoCloseable {
  static final String VERSION = QuickStartTest.VERSION;

  final KubernetesClient client;
  final String namespace;
  final String name;
  final Providers providers;
  private final String test;
  private final Instant started = Instant.now();
  private KubernetesClient workload;

  private E2eCluster(ManagementPlane plane, String test, String prefix, Providers providers) {
    this.client = plane.client();
    this.namespace = plane.namespace();
    this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 5);
    this.test = test;
    this.providers = providers;
  }

  static E2eCluster create(ManagementPlane plane, String test, String prefix, int controlPlanes, int workers)
      throws Exception {
    return create(plane, test, prefix, controlPlanes, workers, new Providers(plane.client(), plane.namespace()));
  }

  /** As {@link #create(ManagementPlane, String, String, int, int)}, with providers the caller started. */
  static E2eCluster create(ManagementPlane plane, String test, String prefix, int controlPlanes, int workers,
      Providers providers) throws Exception {
    return fromManifests(plane, test, prefix, providers, (name, namespace) -> List.of(ClusterManifest.quickStart(
        ClusterManifest.variables(name, namespace, VERSION, controlPlanes, workers))));
  }

  /** As {@link #create(ManagementPlane, String, String, int, int)}, at Kubernetes {@code version}. */
  static E2eCluster createAt(ManagementPlane plane, String test, String prefix, int controlPlanes, int workers,
      String version) throws Exception {
    return fromManifests(plane, test, prefix, new Providers(plane.client(), plane.namespace()), (name, namespace) ->
        List.of(ClusterManifest.quickStart(ClusterManifest.variables(name, namespace, version, controlPlanes, workers))));
  }

  /**
   * A cluster of the packaged quick-start-docker ClusterClass (the development-docker flavor, on the Docker* kinds),
   * the class and its templates applied first.
   */
  static E2eCluster fromClusterClass(ManagementPlane plane, String test, String prefix, int controlPlanes, int workers)
      throws Exception {
    return fromManifests(plane, test, prefix, new Providers(plane.client(), plane.namespace()), (name, namespace) ->
        List.of(ClusterManifest.quickStartDockerClusterClass(), ClusterManifest.developmentDocker(
            ClusterManifest.variables(name, namespace, VERSION, controlPlanes, workers))));
  }

  /**
   * A cluster of one of upstream's own development flavors ({@code development}, {@code development-mp}): its
   * ClusterClass and cluster template read unchanged from the Go module sigs.k8s.io/cluster-api/test, the template
   * rendered by {@code clusterctl generate yaml}.
   */
  static E2eCluster fromUpstreamFlavor(ManagementPlane plane, String test, String prefix, String flavor,
      int controlPlanes, int workers) throws Exception {
    return fromManifests(plane, test, prefix, new Providers(plane.client(), plane.namespace()), (name, namespace) ->
        List.of(ClusterManifest.upstreamQuickStartClusterClass(), ClusterManifest.upstreamFlavor(flavor,
            ClusterManifest.variables(name, namespace, VERSION, controlPlanes, workers))));
  }

  /**
   * A cluster of upstream's in-memory ClusterClass with its {@code in-memory} cluster template, both unchanged from
   * the Go module: no containers, simulated machines and workload API servers in the docker provider's process.
   */
  static E2eCluster fromUpstreamInMemoryFlavor(ManagementPlane plane, String test, String prefix, int controlPlanes,
      int workers) throws Exception {
    return fromUpstreamInMemoryFlavor(plane, test, prefix, controlPlanes, workers,
        new Providers(plane.client(), plane.namespace()));
  }

  /** As above, with providers the caller started. */
  static E2eCluster fromUpstreamInMemoryFlavor(ManagementPlane plane, String test, String prefix, int controlPlanes,
      int workers, Providers providers) throws Exception {
    return fromManifests(plane, test, prefix, providers, (name, namespace) ->
        List.of(ClusterManifest.upstreamInMemoryClusterClass(), ClusterManifest.upstreamFlavor("in-memory",
            ClusterManifest.variables(name, namespace, VERSION, controlPlanes, workers))));
  }

  /** The manifests of a cluster named {@code name}, applied in order. */
  interface Manifests {
    List<String> render(String name, String namespace) throws Exception;
  }

  private static E2eCluster fromManifests(ManagementPlane plane, String test, String prefix, Providers providers,
      Manifests manifests) throws Exception {
    E2eCluster cluster = new E2eCluster(plane, test, prefix, providers);
    try {
      for (String yaml : manifests.render(cluster.name, cluster.namespace)) {
        for (var o : cluster.client.load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .items()) {
          o.getMetadata().setNamespace(cluster.namespace);
          cluster.client.resource(o).createOr(existing -> existing.update());
        }
      }
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** What a spec does with its cluster. */
  interface Spec {
    void run(E2eCluster cluster) throws Exception;
  }

  /**
   * Runs {@code spec} on this cluster, then deletes the cluster and checks that nothing of it is left; on a failure
   * the objects and node logs are saved first; whatever happened, the providers stop and no container stays.
   */
  void exercise(Spec spec) throws Exception {
    try {
      spec.run(this);
      deleteAndCheckNothingIsLeft();
      log("done");
    } catch (Throwable t) {
      saveDiagnostics();
      throw t;
    } finally {
      close();
    }
  }

  void log(String what) {
    System.out.printf("%s: %s after %ds%n", test, what, Duration.between(started, Instant.now()).toSeconds());
  }

  String kcpName() {
    return name + "-control-plane";
  }

  String machineDeploymentName() {
    return name + "-md-0";
  }

  KubeadmControlPlane kcp() {
    return client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(kcpName()).get();
  }

  List<Machine> machines(boolean controlPlane) {
    var machines = client.resources(Machine.class).inNamespace(namespace).withLabel("cluster.x-k8s.io/cluster-name", name);
    return (controlPlane ? machines.withLabel("cluster.x-k8s.io/control-plane")
        : machines.withoutLabel("cluster.x-k8s.io/control-plane")).list().getItems();
  }

  static boolean running(Machine m) {
    return m.getStatus() != null && "Running".equals(m.getStatus().phase) && m.getMetadata().getDeletionTimestamp() == null;
  }

  String kubeconfig() {
    return new String(ClusterSecrets.data(client.secrets().inNamespace(namespace).withName(name + "-kubeconfig").get(),
        "value").orElseThrow(), StandardCharsets.UTF_8);
  }

  /** A client of the workload cluster through its load balancer. */
  KubernetesClient workload() {
    if (workload == null) workload = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig())).build();
    return workload;
  }

  List<String> readyNodes() {
    return workload().nodes().list().getItems().stream().filter(QuickStartTest::ready)
        .map(n -> n.getMetadata().getName()).sorted().toList();
  }

  List<String> nodes() {
    return workload().nodes().list().getItems().stream().map(Node::getMetadata).map(m -> m.getName()).sorted().toList();
  }

  /**
   * The etcd member names, asked directly of the etcd on {@code node} (its client port on the cluster network, with
   * the node's own health-check client certificate), not through KCP's code.
   */
  List<String> etcdMembers(String node) throws Exception {
    String pki = "/etc/kubernetes/pki/etcd/";
    String ip = providers.runtime.find(node).orElseThrow().ipv4On(Labels.NETWORK);
    JsonNode response = EtcdGateway.post(ip, read(node, pki + "ca.crt"), read(node, pki + "healthcheck-client.crt"),
        read(node, pki + "healthcheck-client.key"), "/v3/cluster/member/list");
    List<String> names = new ArrayList<>();
    for (JsonNode m : response.path("members")) names.add(m.path("name").asText(""));
    return names.stream().sorted().toList();
  }

  String read(String container, String path) {
    var result = providers.runtime.exec(container, List.of("cat", path), Duration.ofSeconds(30));
    if (result.exitCode() != 0) throw new IllegalStateException("cannot read " + path + ": " + result.output());
    return result.output();
  }

  List<String> containers() {
    return providers.runtime.list(Map.of(Labels.CLUSTER, name)).stream().map(ContainerInfo::name).sorted().toList();
  }

  /** The volumes of the cluster's containers (the nodes' /var), which deleting the Cluster must remove. */
  private List<String> volumes() throws Exception {
    List<String> volumes = new ArrayList<>();
    for (ContainerInfo c : providers.runtime.list(Map.of(Labels.CLUSTER, name))) {
      String mounts = QuickStartTest.docker("inspect", "-f", "{{range .Mounts}}{{.Name}} {{end}}", c.name()).strip();
      for (String v : mounts.split(" ")) {
        if (!v.isBlank()) volumes.add(v);
      }
    }
    return volumes;
  }

  /** Deletes the Cluster and checks that every container, volume, secret and configmap of it went. */
  void deleteAndCheckNothingIsLeft() throws Exception {
    List<String> volumes = volumes();
    Instant deleting = Instant.now();
    client.resources(Cluster.class).inNamespace(namespace).withName(name).delete();
    client.resources(Cluster.class).inNamespace(namespace).withName(name)
        .waitUntilCondition(x -> x == null, 5, TimeUnit.MINUTES);
    System.out.printf("%s: cluster deleted in %ds%n", test, Duration.between(deleting, Instant.now()).toSeconds());
    assertEquals(List.of(), containers());
    for (String v : volumes) {
      assertTrue(!QuickStartTest.docker("volume", "ls", "-q").lines().toList().contains(v), "volume " + v);
    }
    QuickStartTest.waitFor("secrets and configmaps of the cluster garbage-collected", Duration.ofMinutes(1), () ->
        client.secrets().inNamespace(namespace).withLabel("cluster.x-k8s.io/cluster-name", name).list().getItems()
            .isEmpty()
            && client.configMaps().inNamespace(namespace).list().getItems().stream()
                .noneMatch(cm -> cm.getMetadata().getName().startsWith(name)) ? Boolean.TRUE : null);
  }

  void saveDiagnostics() {
    System.err.println("diagnostics: " + Diagnostics.save(test, client, namespace, providers.runtime, name));
  }

  @Override
  public void close() throws Exception {
    try {
      providers.close();
    } finally {
      closeLeavingProviders();
    }
  }

  /** Closes the workload client and removes whatever container of the cluster is left; the providers keep running. */
  void closeLeavingProviders() throws Exception {
    if (workload != null) workload.close();
    try (var runtime = io.capdjava.docker.runtime.DockerEngineRuntime.connect()) {
      for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, name))) runtime.remove(c.name());
    }
  }
}
