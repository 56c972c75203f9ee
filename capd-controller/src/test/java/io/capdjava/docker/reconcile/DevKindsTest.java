package io.capdjava.docker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.Labels;
import io.capdjava.docker.loadbalancer.LoadBalancer;
import io.capdjava.docker.machine.NodeContainer;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstream v1.14's DevCluster and DevMachine with {@code spec.backend.docker} get what DockerCluster and DockerMachine
 * get (same containers, names, labels, load balancer, bootstrap, conditions), with upstream CAPI core and the real
 * engine; {@code spec.backend.inMemory} is refused with a condition naming the field.
 */
@ExtendWith(ManagementPlaneExtension.class)
class DevKindsTest {
  private final String cluster = "dev-" + UUID.randomUUID().toString().substring(0, 6);
  private DockerEngineRuntime runtime;
  private ProviderManager provider;
  private ManagementPlane plane;

  @BeforeEach
  void setUp(ManagementPlane plane) throws Exception {
    this.plane = plane;
    runtime = DockerEngineRuntime.connect();
    apply("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DevCluster, name: %1$s}
        """);
    apply("""
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DevCluster
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          backend:
            docker:
              failureDomains: [{name: fd-a, controlPlane: true}]
        """);
    var owner = plane.client().configMaps().inNamespace(plane.namespace()).resource(
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(cluster + "-owner")
            .endMetadata().build()).create();
    plane.client().resource(ClusterSecrets.build(plane.namespace(), Contract.Secret.kubeconfig(cluster), cluster, owner,
        Map.of("value", Files.readAllBytes(plane.kubeconfig())))).create();
    provider = DockerProviderMain.start(plane.client(), runtime, SecurityProfiles.choose("auto", runtime),
        ManagerOptions.embedded(plane.namespace(), 4));
  }

  @AfterEach
  void tearDown() throws Exception {
    var clusters = plane.client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster")
        .inNamespace(plane.namespace());
    clusters.withName(cluster).delete();
    try {
      clusters.withName(cluster).waitUntilCondition(c -> c == null, 120, TimeUnit.SECONDS);
      assertEquals(List.of(), runtime.list(Map.of(Labels.CLUSTER, cluster)).stream().map(ContainerInfo::name).toList(),
          "deleting the Cluster removes every container of its DevCluster and DevMachines");
    } finally {
      provider.close();
      for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, cluster))) runtime.remove(c.name());
      runtime.close();
    }
  }

  @Test
  void aDevClusterAndDevMachineWithTheDockerBackendComeUpAsDockerOnesDo() {
    DevCluster devCluster = plane.client().resources(DevCluster.class).inNamespace(plane.namespace()).withName(cluster)
        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().initialization != null
            && Boolean.TRUE.equals(c.getStatus().initialization.provisioned), 120, TimeUnit.SECONDS);
    ContainerInfo lb = new LoadBalancer(runtime, cluster).find().orElseThrow();
    assertEquals(lb.ipv4On(Labels.NETWORK), devCluster.getSpec().controlPlaneEndpoint.host);
    assertEquals(6443, devCluster.getSpec().controlPlaneEndpoint.port);
    assertTrue(Conditions.isTrue(devCluster.getStatus().conditions, "LoadBalancerAvailable"));
    assertEquals("fd-a", devCluster.getStatus().failureDomains.get(0).name);

    bootstrapSecret("w1-data");
    String container = NodeContainer.name(cluster, "w1");
    plane.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(container).endMetadata().build())
        .create();
    try {
      // no backend named: as upstream, the docker backend with its defaults (upstream's e2e templates rely on it)
      machine("w1", "w1-data", "{}");
      DevMachine dm = waitForReady("w1");
      assertEquals("docker:////" + container, dm.getSpec().providerID);
      assertTrue(dm.getStatus().initialization.provisioned);
      for (String[] typeAndReason : List.of(new String[] {"ContainerProvisioned", "Provisioned"},
          new String[] {"CGroupsReady", "Ready"}, new String[] {"PreLoadedImagesReady", "Ready"},
          new String[] {"BootstrapCompleted", "Completed"})) {
        Condition c = Conditions.get(dm.getStatus().conditions, typeAndReason[0]).orElseThrow();
        assertEquals(List.of("True", typeAndReason[1]), List.of(c.getStatus(), c.getReason()), typeAndReason[0]);
      }
      ContainerInfo node = runtime.find(container).orElseThrow();
      assertEquals(Labels.ROLE_WORKER, node.labels().get(Labels.ROLE));
      assertEquals("docker:////" + container, plane.client().nodes().withName(container).get().getSpec().getProviderID());
    } finally {
      plane.client().nodes().withName(container).delete();
    }
  }

  /** Upstream's e2e kcp-remediation and kcp-adoption templates have a DevCluster without spec: docker, defaults. */
  @Test
  void aDevClusterWithoutSpecIsADockerOne() {
    String bare = cluster + "-bare";
    apply("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: %3$s, namespace: %2$s}
        spec:
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DevCluster, name: %3$s}
        """, bare);
    apply("""
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DevCluster
        metadata: {name: %3$s, namespace: %2$s}
        """, bare);
    try {
      DevCluster devCluster = plane.client().resources(DevCluster.class).inNamespace(plane.namespace()).withName(bare)
          .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().initialization != null
              && Boolean.TRUE.equals(c.getStatus().initialization.provisioned), 120, TimeUnit.SECONDS);
      ContainerInfo lb = new LoadBalancer(runtime, bare).find().orElseThrow();
      assertEquals(lb.ipv4On(Labels.NETWORK), devCluster.getSpec().controlPlaneEndpoint.host);
    } finally {
      var clusters = plane.client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster")
          .inNamespace(plane.namespace());
      clusters.withName(bare).delete();
      clusters.withName(bare).waitUntilCondition(c -> c == null, 120, TimeUnit.SECONDS);
      assertEquals(List.of(), runtime.list(Map.of(Labels.CLUSTER, bare)).stream().map(ContainerInfo::name).toList());
    }
  }

  @Test
  void aBadInMemoryStartupJitterIsReportedUnderItsField() {
    bootstrapSecret("m1-data");
    machine("m1", "m1-data", "{inMemory: {vm: {provisioning: {startupDuration: 1s, startupJitter: lots}}}}");
    DevMachine dm = plane.client().resources(DevMachine.class).inNamespace(plane.namespace()).withName("m1")
        .waitUntilCondition(d -> d != null && d.getStatus() != null
            && Conditions.get(d.getStatus().conditions, "Ready").map(c -> "InvalidSpec".equals(c.getReason()))
                .orElse(false), 60, TimeUnit.SECONDS);
    Condition ready = Conditions.get(dm.getStatus().conditions, "Ready").orElseThrow();
    assertEquals("False", ready.getStatus());
    assertTrue(ready.getMessage().contains("spec.backend.inMemory.vm.provisioning.startupJitter"), ready.getMessage());
    assertTrue(runtime.find(NodeContainer.name(cluster, "m1")).isEmpty(), "no container for the in-memory backend");
  }

  @Test
  void aBadBootstrapTimeoutIsReportedUnderItsDevMachineField() {
    bootstrapSecret("m2-data");
    machine("m2", "m2-data", "{docker: {bootstrapTimeout: soon}}");
    DevMachine dm = plane.client().resources(DevMachine.class).inNamespace(plane.namespace()).withName("m2")
        .waitUntilCondition(d -> d != null && d.getStatus() != null
            && Conditions.get(d.getStatus().conditions, "Ready").map(c -> c.getMessage() != null
                && c.getMessage().contains("bootstrapTimeout")).orElse(false), 60, TimeUnit.SECONDS);
    String message = Conditions.get(dm.getStatus().conditions, "Ready").orElseThrow().getMessage();
    assertTrue(message.contains("spec.backend.docker.bootstrapTimeout"), message);
  }

  private DevMachine waitForReady(String name) {
    var resource = plane.client().resources(DevMachine.class).inNamespace(plane.namespace()).withName(name);
    try {
      return resource.waitUntilCondition(d -> d != null && d.getStatus() != null
          && Conditions.isTrue(d.getStatus().conditions, "Ready") && d.getSpec().providerID != null,
          180, TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      DevMachine last = resource.get();
      assertNotNull(last);
      throw new AssertionError("DevMachine " + name + " not ready: " + Serialization.asYaml(last.getStatus()), e);
    }
  }

  private void machine(String name, String dataSecret, String backend) {
    apply("""
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DevMachine
        metadata:
          name: %3$s
          namespace: %2$s
          labels: {cluster.x-k8s.io/cluster-name: %1$s}
        spec:
          backend: %4$s
        """, name, backend);
    apply("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Machine
        metadata:
          name: %3$s
          namespace: %2$s
          labels: {cluster.x-k8s.io/cluster-name: %1$s}
        spec:
          clusterName: %1$s
          version: %4$s
          bootstrap: {dataSecretName: %5$s}
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DevMachine, name: %3$s}
        """, name, DockerMachineReconcilerTest.VERSION, dataSecret);
  }

  private void bootstrapSecret(String name) {
    plane.client().secrets().inNamespace(plane.namespace()).resource(new SecretBuilder().withNewMetadata()
        .withName(name).addToLabels(Contract.Label.CLUSTER_NAME, cluster).endMetadata().withType(Contract.Secret.TYPE)
        .addToStringData("value", """
            #cloud-config
            runcmd:
            - mkdir -p /run/cluster-api && echo success > /run/cluster-api/bootstrap-success.complete
            """).addToStringData("format", "cloud-config").build()).create();
  }

  private void apply(String yaml, Object... more) {
    Object[] args = new Object[2 + more.length];
    args[0] = cluster;
    args[1] = plane.namespace();
    System.arraycopy(more, 0, args, 2, more.length);
    plane.client().resource(Serialization.unmarshal(yaml.formatted(args), GenericKubernetesResource.class)).create();
  }
}
