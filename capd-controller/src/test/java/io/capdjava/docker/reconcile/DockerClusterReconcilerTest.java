package io.capdjava.docker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.core.Conditions;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Cluster with a DockerCluster, with upstream CAPI core and our provider running, on the real engine. */
@ExtendWith(ManagementPlaneExtension.class)
class DockerClusterReconcilerTest {
  private static final String BASE_IMAGE = "capd-java/debian-base:bookworm";
  private final String cluster = "dc-" + UUID.randomUUID().toString().substring(0, 6);
  private DockerEngineRuntime runtime;
  private ProviderManager provider;

  @BeforeEach
  void startProvider(ManagementPlane plane) {
    runtime = DockerEngineRuntime.connect();
    provider = DockerProviderMain.start(plane.client(), runtime, SecurityProfiles.choose("auto", runtime),
        ManagerOptions.embedded(plane.namespace(), 4));
  }

  /**
   * Deletes the test's Cluster while the provider still runs, as a user would: left behind, the next test's provider
   * (same namespace) would find its DockerCluster and bring its load balancer back.
   */
  @AfterEach
  void stopProvider(ManagementPlane plane) throws Exception {
    var clusters = plane.client().resources(Cluster.class).inNamespace(plane.namespace()).withName(cluster);
    try {
      clusters.delete();
      clusters.waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);
    } finally {
      provider.close();
      for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, cluster))) runtime.remove(c.name());
      runtime.close();
    }
  }

  @Test
  void loadBalancerIsTheEndpointAndGoesWithTheCluster(ManagementPlane plane) {
    String ns = plane.namespace();
    createCluster(plane, """
        failureDomains:
        - {name: fd1, controlPlane: true}
        - {name: fd2, controlPlane: false}
        """);

    DockerCluster ready = plane.client().resources(DockerCluster.class).inNamespace(ns).withName(cluster)
        .waitUntilCondition(d -> d != null && d.getStatus() != null
            && Conditions.isTrue(d.getStatus().conditions, "Ready"), 60, TimeUnit.SECONDS);
    ContainerInfo lb = runtime.find(cluster + "-lb").orElseThrow();
    assertEquals(Map.of(Labels.CLUSTER, cluster, Labels.ROLE, Labels.ROLE_LOAD_BALANCER),
        Map.of(Labels.CLUSTER, lb.labels().get(Labels.CLUSTER), Labels.ROLE, lb.labels().get(Labels.ROLE)));
    assertEquals(lb.ipv4On(Labels.NETWORK), ready.getSpec().controlPlaneEndpoint.host);
    assertEquals(6443, ready.getSpec().controlPlaneEndpoint.port);
    assertTrue(ready.getStatus().initialization.provisioned);
    assertEquals(List.of("fd1", "fd2"), ready.getStatus().failureDomains.stream().map(f -> f.name).toList());
    assertTrue(lb.publishedPorts().get("6443/tcp") > 0 && lb.publishedPorts().get("8404/tcp") > 0);

    // upstream CAPI core takes it from here: the Cluster's infrastructure is provisioned, with our endpoint
    Cluster provisioned = plane.client().resources(Cluster.class).inNamespace(ns).withName(cluster)
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().initialization != null
            && Boolean.TRUE.equals(c.getStatus().initialization.infrastructureProvisioned), 60, TimeUnit.SECONDS);
    assertEquals(lb.ipv4On(Labels.NETWORK), provisioned.getSpec().controlPlaneEndpoint.host);

    plane.client().resources(Cluster.class).inNamespace(ns).withName(cluster).delete();
    plane.client().resources(Cluster.class).inNamespace(ns).withName(cluster)
        .waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);
    assertEquals(List.of(), runtime.list(Map.of(Labels.CLUSTER, cluster)), "no container of the cluster is left");
  }

  /**
   * The load balancer is the cluster's endpoint: stopped, it comes back on the address the endpoint names, even when
   * that address was taken meanwhile (a stopped container gives it back; here another container takes it, as another
   * cluster's load balancer did in a fault run): it says so, naming the address, and comes back there once the
   * address is free, never elsewhere. Removed, it is created again on that address. The endpoint never changes.
   */
  @Test
  void aStoppedOrRemovedLoadBalancerComesBackOnTheEndpointsAddress(ManagementPlane plane) throws Exception {
    String ns = plane.namespace();
    String endpoint = readyEndpoint(plane);
    var dockerClusters = plane.client().resources(DockerCluster.class).inNamespace(ns).withName(cluster);
    String lbName = cluster + "-lb";
    String squatter = cluster + "-squatter";

    // the provider stopped while the load balancer is stopped and its address taken, so nothing races the squatter
    provider.close();
    run("docker", "stop", "-t", "1", lbName);
    run("docker", "run", "-d", "--name", squatter, "--network", Labels.NETWORK, "--ip", endpoint,
        "--label", Labels.CLUSTER + "=" + cluster, BASE_IMAGE, "sleep", "600");
    provider = DockerProviderMain.start(plane.client(), runtime, SecurityProfiles.choose("auto", runtime),
        ManagerOptions.embedded(ns, 4));
    String message = await("LoadBalancerAvailable=False naming the taken address", () -> {
      var available = Conditions.get(dockerClusters.get().getStatus().conditions, "LoadBalancerAvailable").orElse(null);
      return available != null && "False".equals(available.getStatus()) && available.getMessage().contains(endpoint)
          ? available.getMessage() : null;
    });
    assertTrue(message.contains("control plane endpoint's address " + endpoint), message);
    assertTrue(runtime.find(lbName).filter(ContainerInfo::running).isEmpty(), "never running on another address");
    // a re-creation that keeps failing waits for the retry backoff: the engine's events of its own failed attempts
    // must not wake it again at once (194 attempts in 10 s before they were ignored; a few other triggers, the
    // Cluster's status following the DockerCluster's, may still come)
    List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (AutoCloseable watch = runtime.watchContainers(Labels.CLUSTER, e -> {
      if (e.name().equals(lbName) && e.action().equals("create")) attempts.add(e.action());
    })) {
      Thread.sleep(10_000);
    }
    assertTrue(attempts.size() <= 10, attempts.size() + " attempts to re-create the load balancer within 10 s");

    run("docker", "rm", "-f", squatter);
    long freed = System.nanoTime();
    ContainerInfo back = await("the load balancer running on the endpoint's address", () ->
        runtime.find(lbName).filter(c -> c.running() && endpoint.equals(c.ipv4On(Labels.NETWORK))).orElse(null));
    System.out.printf("load balancer back on %s %d s after its address was freed%n", endpoint,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - freed));
    await("a LoadBalancerRecreated event", () -> eventReasons(plane).contains("LoadBalancerRecreated") ? Boolean.TRUE : null);
    await("LoadBalancerAvailable=True", () -> Conditions.isTrue(dockerClusters.get().getStatus().conditions,
        "LoadBalancerAvailable") ? Boolean.TRUE : null);

    run("docker", "rm", "-f", lbName);
    long removed = System.nanoTime();
    // from the engine's event: the provider's periodic look at a healthy load balancer comes only every 60 s
    ContainerInfo recreated = await("the removed load balancer created again on the endpoint's address", 20, () ->
        runtime.find(lbName).filter(c -> c.running() && endpoint.equals(c.ipv4On(Labels.NETWORK))).orElse(null));
    System.out.printf("load balancer created again %d s after docker rm%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - removed));
    assertTrue(!back.id().equals(recreated.id()), "a new container");
    assertEquals(endpoint, dockerClusters.get().getSpec().controlPlaneEndpoint.host, "the endpoint never moves");
  }

  /** {@code docker stop} of a running load balancer: the engine's die event brings it back within seconds. */
  @Test
  void aLoadBalancerStoppedWhileTheProviderRunsRunsAgainWithinSeconds(ManagementPlane plane) throws Exception {
    String endpoint = readyEndpoint(plane);
    String lbName = cluster + "-lb";

    run("docker", "stop", lbName);
    long stopped = System.nanoTime();
    await("the stopped load balancer running again on the endpoint's address", 15, () ->
        runtime.find(lbName).filter(c -> c.running() && endpoint.equals(c.ipv4On(Labels.NETWORK))).orElse(null));
    System.out.printf("load balancer running again %d ms after docker stop returned%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped));
  }

  /**
   * A load balancer is pinned to its address: started by hand while another container holds it, it does not come up
   * elsewhere. One made before addresses were pinned (attached to the network without a fixed address) does: the
   * provider puts it back on the endpoint's address once that is free.
   */
  @Test
  void aLoadBalancerStartedByHandOnAnotherAddressGoesBackToTheEndpoints(ManagementPlane plane) throws Exception {
    String ns = plane.namespace();
    String endpoint = readyEndpoint(plane);
    var dockerClusters = plane.client().resources(DockerCluster.class).inNamespace(ns).withName(cluster);
    String lbName = cluster + "-lb";
    String squatter = cluster + "-squatter";

    provider.close();
    run("docker", "stop", "-t", "1", lbName);
    run("docker", "run", "-d", "--name", squatter, "--network", Labels.NETWORK, "--ip", endpoint,
        "--label", Labels.CLUSTER + "=" + cluster, BASE_IMAGE, "sleep", "600");
    assertTrue(exitCode("docker", "start", lbName) != 0, "a pinned load balancer does not start on another address");
    run("docker", "network", "disconnect", Labels.NETWORK, lbName);
    run("docker", "network", "connect", Labels.NETWORK, lbName);
    run("docker", "start", lbName);
    String elsewhere = runtime.find(lbName).orElseThrow().ipv4On(Labels.NETWORK);
    assertTrue(!elsewhere.equals(endpoint), "the engine gave the started container another address");
    run("docker", "rm", "-f", squatter);
    provider = DockerProviderMain.start(plane.client(), runtime, SecurityProfiles.choose("auto", runtime),
        ManagerOptions.embedded(ns, 4));
    await("the load balancer back on the endpoint's address", () ->
        runtime.find(lbName).filter(c -> c.running() && endpoint.equals(c.ipv4On(Labels.NETWORK))).orElse(null));
    await("LoadBalancerAvailable=True", () -> Conditions.isTrue(dockerClusters.get().getStatus().conditions,
        "LoadBalancerAvailable") ? Boolean.TRUE : null);
    assertEquals(endpoint, dockerClusters.get().getSpec().controlPlaneEndpoint.host, "the endpoint never moves");
  }

  /** A Cluster and its DockerCluster without settings, Ready: the control plane endpoint's host it got. */
  private String readyEndpoint(ManagementPlane plane) {
    createCluster(plane, "{}");
    DockerCluster ready = plane.client().resources(DockerCluster.class).inNamespace(plane.namespace())
        .withName(cluster).waitUntilCondition(d -> d != null && d.getStatus() != null
            && Conditions.isTrue(d.getStatus().conditions, "Ready"), 60, TimeUnit.SECONDS);
    return ready.getSpec().controlPlaneEndpoint.host;
  }

  /** A Cluster and its DockerCluster with {@code dockerClusterSpec} (YAML). */
  private void createCluster(ManagementPlane plane, String dockerClusterSpec) {
    plane.client().resource(Serialization.unmarshal("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerCluster, name: %1$s}
        """.formatted(cluster, plane.namespace()), GenericKubernetesResource.class)).create();
    var dockerCluster = Serialization.unmarshal("""
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DockerCluster
        metadata: {name: %1$s, namespace: %2$s}
        """.formatted(cluster, plane.namespace()), GenericKubernetesResource.class);
    dockerCluster.setAdditionalProperty("spec", Serialization.unmarshal(dockerClusterSpec, java.util.Map.class));
    plane.client().resource(dockerCluster).create();
  }

  private List<String> eventReasons(ManagementPlane plane) {
    return plane.client().v1().events().inNamespace(plane.namespace()).list().getItems().stream()
        .filter(e -> cluster.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
  }

  private static <T> T await(String what, java.util.function.Supplier<T> check) throws InterruptedException {
    return await(what, 60, check);
  }

  private static <T> T await(String what, int seconds, java.util.function.Supplier<T> check)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      T value = check.get();
      if (value != null) return value;
      Thread.sleep(500);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
  }

  private static int exitCode(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
  }
}
