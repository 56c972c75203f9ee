package io.capdjava.docker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A MachinePool on a DevMachinePool or DockerMachinePool, with upstream CAPI core (MachinePool Machines) and the real
 * engine: each instance is a node container with a DevMachine/DockerMachine and a Machine; the pool scales up, down
 * and to zero, and deleting the cluster leaves no container. The management plane plays the workload cluster; a
 * kubelet would register each instance's Node, which this test does in its stead (the one boundary faked here: the
 * e2e development-mp spec runs real kubelets).
 */
@ExtendWith(ManagementPlaneExtension.class)
class MachinePoolTest {
  private static final String INFRA = "infrastructure.cluster.x-k8s.io/v1beta2";
  private final String cluster = "mp-" + UUID.randomUUID().toString().substring(0, 6);
  private final Set<String> nodes = new HashSet<>();
  private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();
  private DockerEngineRuntime runtime;
  private ProviderManager provider;
  private ManagementPlane plane;

  @AfterEach
  void tearDown() throws Exception {
    if (plane == null) return;
    var clusters = plane.client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster")
        .inNamespace(plane.namespace());
    clusters.withName(cluster).delete();
    try {
      clusters.withName(cluster).waitUntilCondition(c -> c == null, 180, TimeUnit.SECONDS);
      assertEquals(List.of(), containers(null), "deleting the Cluster removes every container of the pool");
    } finally {
      kubelet.shutdownNow();
      provider.close();
      for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, cluster))) runtime.remove(c.name());
      for (String node : nodes) plane.client().nodes().withName(node).delete();
      runtime.close();
    }
  }

  @ParameterizedTest
  @CsvSource({"DevMachinePool, DevMachine, '{backend: {docker: {}}}', dev.cluster.x-k8s.io/machine-pool",
      "DockerMachinePool, DockerMachine, '{template: {}}', docker.cluster.x-k8s.io/machine-pool"})
  void aPoolScalesUpDownAndToZeroWithOneMachinePerInstance(String poolKind, String machineKind, String poolSpec,
      String containerLabel, ManagementPlane plane) throws Exception {
    createPool(plane, poolKind, poolSpec, DockerMachineReconcilerTest.VERSION);
    // each instance's Node appears, as its kubelet would register it
    kubelet.scheduleWithFixedDelay(() -> registerNodes(machineKind), 1, 1, TimeUnit.SECONDS);

    GenericKubernetesResource pool = waitForPool(poolKind, 1);
    assertEquals(machineKind, pool.get("status", "infrastructureMachineKind"));
    assertEquals(1, containers(containerLabel).size());
    List<String> ids = pool.get("spec", "providerIDList");
    assertEquals(List.of("docker:////" + containers(containerLabel).get(0)), ids);
    assertEquals(1, poolMachines().size(), "CAPI core made one Machine for the instance");

    scale(2);
    waitForPool(poolKind, 2);
    assertEquals(2, containers(containerLabel).size());
    assertEquals(2, poolMachines().size());

    scale(0);
    waitForPool(poolKind, 0);
    waitUntil(() -> containers(containerLabel).isEmpty() && poolMachines().isEmpty(), 120,
        "scaled to zero: no container and no Machine left");
  }

  @ParameterizedTest
  @CsvSource({"DevMachinePool, '{backend: {docker: {}}}'", "DockerMachinePool, '{template: {}}'"})
  void aPoolWhoseNodeImageIsMissingSaysWhichImageAndHowToBuildIt(String poolKind, String poolSpec,
      ManagementPlane plane) throws Exception {
    String version = "v1.31.99"; // a release with no node image here, and no registry to pull one from
    createPool(plane, poolKind, poolSpec, version);
    var pool = plane.client().genericKubernetesResources(INFRA, poolKind).inNamespace(plane.namespace())
        .withName(cluster + "-pool");
    GenericKubernetesResource failing = pool.waitUntilCondition(p -> p != null && replicasReady(p) != null
        && "NodeImageUnavailable".equals(replicasReady(p).get("reason")), 120, TimeUnit.SECONDS);
    String message = (String) replicasReady(failing).get("message");
    assertEquals("False", replicasReady(failing).get("status"));
    assertTrue(message.startsWith("Image kindest/node:" + version + " (the node image of MachinePool spec.template"
        + ".spec.version " + version + ") is not on the container engine and could not be pulled: "), message);
    assertTrue(message.endsWith("build it with capd-java's hack/images.sh node " + version
        + ", or load it into the engine"), message);
    assertEquals(List.of(), containers(null), "no container without its image");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> replicasReady(GenericKubernetesResource pool) {
    Object conditions = pool.get("status", "conditions");
    if (!(conditions instanceof List<?> list)) return null;
    return list.stream().map(c -> (Map<String, Object>) c).filter(c -> "ReplicasReady".equals(c.get("type")))
        .findFirst().orElse(null);
  }

  /** A Cluster of {@code poolKind}'s family with a MachinePool of one replica at {@code version}; our provider. */
  private void createPool(ManagementPlane plane, String poolKind, String poolSpec, String version) throws Exception {
    this.plane = plane;
    runtime = DockerEngineRuntime.connect();
    String clusterKind = poolKind.startsWith("Dev") ? "DevCluster" : "DockerCluster";
    apply("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: %3$s, name: %1$s}
        """, clusterKind);
    apply("""
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: %3$s
        metadata: {name: %1$s, namespace: %2$s}
        spec: %4$s
        """, clusterKind, clusterKind.equals("DevCluster") ? "{backend: {docker: {}}}" : "{}");
    var owner = plane.client().configMaps().inNamespace(plane.namespace()).resource(
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(cluster + "-owner")
            .endMetadata().build()).create();
    plane.client().resource(ClusterSecrets.build(plane.namespace(), Contract.Secret.kubeconfig(cluster), cluster, owner,
        Map.of("value", Files.readAllBytes(plane.kubeconfig())))).create();
    plane.client().secrets().inNamespace(plane.namespace()).resource(new SecretBuilder().withNewMetadata()
        .withName(cluster + "-pool-data").addToLabels(Contract.Label.CLUSTER_NAME, cluster).endMetadata()
        .withType(Contract.Secret.TYPE).addToStringData("format", "cloud-config").addToStringData("value", """
            #cloud-config
            runcmd:
            - mkdir -p /run/cluster-api && echo success > /run/cluster-api/bootstrap-success.complete
            """).build()).create();
    apply("""
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: %3$s
        metadata: {name: %1$s-pool, namespace: %2$s}
        spec: %4$s
        """, poolKind, poolSpec);
    apply("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: MachinePool
        metadata: {name: %1$s-pool, namespace: %2$s}
        spec:
          clusterName: %1$s
          replicas: 1
          template:
            spec:
              clusterName: %1$s
              version: %3$s
              bootstrap: {dataSecretName: %1$s-pool-data}
              infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: %4$s, name: %1$s-pool}
        """, version, poolKind);
    provider = DockerProviderMain.start(plane.client(), runtime, SecurityProfiles.choose("auto", runtime),
        ManagerOptions.embedded(plane.namespace(), 4));
  }

  private GenericKubernetesResource waitForPool(String poolKind, int replicas) {
    var pool = plane.client().genericKubernetesResources(INFRA, poolKind).inNamespace(plane.namespace())
        .withName(cluster + "-pool");
    try {
      return pool.waitUntilCondition(p -> p != null && Boolean.TRUE.equals(p.get("status", "ready"))
          && Integer.valueOf(replicas).equals(p.get("status", "replicas"))
          && ((List<?>) (p.get("spec", "providerIDList") == null ? List.of() : p.get("spec", "providerIDList")))
              .size() == replicas, 240, TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new AssertionError(poolKind + " not ready with " + replicas + " replicas: "
          + Serialization.asYaml(pool.get()), e);
    }
  }

  private void scale(int replicas) {
    plane.client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "MachinePool").inNamespace(plane.namespace())
        .withName(cluster + "-pool").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private List<GenericKubernetesResource> poolMachines() {
    return plane.client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Machine")
        .inNamespace(plane.namespace()).withLabel("cluster.x-k8s.io/pool-name", cluster + "-pool").list().getItems();
  }

  private void registerNodes(String machineKind) {
    try {
      for (var m : plane.client().genericKubernetesResources(INFRA, machineKind).inNamespace(plane.namespace())
          .withLabel(Contract.Label.CLUSTER_NAME, cluster).list().getItems()) {
        String name = m.getMetadata().getName();
        if (nodes.add(name) && plane.client().nodes().withName(name).get() == null) {
          plane.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
              .create();
        }
      }
    } catch (RuntimeException e) {
      // the next round tries again
    }
  }

  private List<String> containers(String label) {
    Map<String, String> labels = label == null ? Map.of(Labels.CLUSTER, cluster)
        : Map.of(Labels.CLUSTER, cluster, label, cluster + "-pool");
    return runtime.list(labels).stream().filter(c -> !c.name().endsWith("-lb")).map(ContainerInfo::name).sorted()
        .toList();
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(1000);
    }
  }

  private void apply(String yaml, Object... more) {
    Object[] args = new Object[2 + more.length];
    args[0] = cluster;
    args[1] = plane.namespace();
    System.arraycopy(more, 0, args, 2, more.length);
    plane.client().resource(Serialization.unmarshal(yaml.formatted(args), GenericKubernetesResource.class)).create();
  }
}
