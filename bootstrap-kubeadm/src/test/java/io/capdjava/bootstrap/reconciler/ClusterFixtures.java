package io.capdjava.bootstrap.reconciler;

import io.capdjava.testenv.Edits;
import static org.junit.jupiter.api.Assertions.fail;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachinePool;
import io.capdjava.core.ClusterReadiness;
import io.capdjava.core.certs.ClusterCertificates;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Cluster API objects as CAPI core and a user create them, on the real API server. */
final class ClusterFixtures {
  private final KubernetesClient client;
  private final String ns;

  ClusterFixtures(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
  }

  /**
   * A Cluster with an endpoint and networks. With {@code controlPlaneRef} it points at a KubeadmControlPlane and has
   * no infrastructure (CAPI core then marks the infrastructure provisioned); without, it stands alone on a
   * DockerCluster that reports itself provisioned, as CAPI core's webhook requires one of the two.
   */
  Cluster cluster(String name, String controlPlaneRef) {
    if (controlPlaneRef == null) provisionedDockerCluster(name);
    String yaml = "apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: " + name + "\n  namespace: " + ns
        + "\nspec:\n  controlPlaneEndpoint:\n    host: 172.18.0.3\n    port: 6443\n"
        + "  clusterNetwork:\n    services:\n      cidrBlocks: [10.128.0.0/12]\n    pods:\n      cidrBlocks: [192.168.0.0/16]\n"
        + "    serviceDomain: cluster.local\n"
        + (controlPlaneRef == null ? "  infrastructureRef:\n    apiGroup: infrastructure.cluster.x-k8s.io\n"
            + "    kind: DockerCluster\n    name: " + name + "\n" : "  controlPlaneRef:\n    apiGroup: controlplane.cluster.x-k8s.io\n"
            + "    kind: KubeadmControlPlane\n    name: " + controlPlaneRef + "\n");
    return client.resource(Serialization.unmarshal(yaml, Cluster.class)).create();
  }

  private void provisionedDockerCluster(String name) {
    String yaml = "apiVersion: infrastructure.cluster.x-k8s.io/v1beta2\nkind: DockerCluster\nmetadata:\n  name: " + name
        + "\n  namespace: " + ns + "\nspec: {}\n";
    var dc = client.resource(Serialization.unmarshal(yaml,
        io.capdjava.api.infrastructure.v1beta2.DockerCluster.class)).create();
    dc.setStatus(new io.capdjava.api.infrastructure.v1beta2.DevClusterStatus());
    dc.getStatus().initialization = new io.capdjava.api.infrastructure.v1beta2.DevClusterInitializationStatus();
    dc.getStatus().initialization.provisioned = true;
    client.resource(dc).updateStatus();
  }

  /** A KubeadmControlPlane that says the control plane is initialized; CAPI core mirrors that to the Cluster. */
  void initializedControlPlane(String name) {
    String yaml = "apiVersion: controlplane.cluster.x-k8s.io/v1beta2\nkind: KubeadmControlPlane\nmetadata:\n  name: " + name
        + "\n  namespace: " + ns + "\nspec:\n  version: v1.34.1\n  replicas: 1\n  machineTemplate:\n    spec:\n"
        + "      infrastructureRef:\n        apiGroup: infrastructure.cluster.x-k8s.io\n        kind: DockerMachineTemplate\n"
        + "        name: " + name + "\n";
    var kcp = client.resource(Serialization.unmarshal(yaml,
        io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane.class)).create();
    kcp.setStatus(new io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneStatus());
    kcp.getStatus().initialization = new io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneInitializationStatus();
    kcp.getStatus().initialization.controlPlaneInitialized = true;
    client.resource(kcp).updateStatus();
  }

  /** A KubeadmConfig from YAML spec lines (indented by four spaces under spec). */
  KubeadmConfig config(String name, String cluster, String specYaml) {
    String yaml = "apiVersion: bootstrap.cluster.x-k8s.io/v1beta2\nkind: KubeadmConfig\nmetadata:\n  name: " + name
        + "\n  namespace: " + ns + "\n  labels:\n    cluster.x-k8s.io/cluster-name: " + cluster + "\nspec:\n" + specYaml;
    return client.resource(Serialization.unmarshal(yaml, KubeadmConfig.class)).create();
  }

  /** A Machine bootstrapped by KubeadmConfig {@code name}, which it then owns (as CAPI core would set). */
  Machine machine(String name, String cluster, boolean controlPlane, String version, KubeadmConfig config) {
    String yaml = "apiVersion: cluster.x-k8s.io/v1beta2\nkind: Machine\nmetadata:\n  name: " + name + "\n  namespace: " + ns
        + "\n  labels:\n    cluster.x-k8s.io/cluster-name: " + cluster + "\n"
        + (controlPlane ? "    cluster.x-k8s.io/control-plane: \"\"\n" : "")
        + "spec:\n  clusterName: " + cluster + "\n  version: " + version + "\n"
        + "  bootstrap:\n    configRef:\n      apiGroup: bootstrap.cluster.x-k8s.io\n      kind: KubeadmConfig\n"
        + "      name: " + config.getMetadata().getName() + "\n"
        + "  infrastructureRef:\n    apiGroup: infrastructure.cluster.x-k8s.io\n    kind: DockerMachine\n    name: " + name + "\n";
    Machine machine = client.resource(Serialization.unmarshal(yaml, Machine.class)).create();
    own(config, machine);
    return machine;
  }

  /**
   * A MachinePool of {@code replicas} instances bootstrapped by KubeadmConfig {@code config}; CAPI core's MachinePool
   * controller then makes it the config's owner and copies the data secret name into its template. Its
   * infrastructure is left out: no infrastructure provider runs here, and CAPI core handles the bootstrap first.
   */
  MachinePool machinePool(String name, String cluster, int replicas, String version, KubeadmConfig config) {
    String yaml = "apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachinePool\nmetadata:\n  name: " + name
        + "\n  namespace: " + ns + "\nspec:\n  clusterName: " + cluster + "\n  replicas: " + replicas + "\n"
        + "  template:\n    spec:\n      clusterName: " + cluster + "\n      version: " + version + "\n"
        + "      bootstrap:\n        configRef:\n          apiGroup: bootstrap.cluster.x-k8s.io\n"
        + "          kind: KubeadmConfig\n          name: " + config.getMetadata().getName() + "\n"
        + "      infrastructureRef:\n        apiGroup: infrastructure.cluster.x-k8s.io\n"
        + "        kind: DockerMachinePool\n        name: " + name + "\n";
    return client.resource(Serialization.unmarshal(yaml, MachinePool.class)).create();
  }

  MachinePool machinePool(String name) {
    return client.resources(MachinePool.class).inNamespace(ns).withName(name).get();
  }

  /**
   * A Cluster whose KubeadmControlPlane reports it initialized, with its certificates and its kubeconfig secret
   * pointing at this plane (the workload cluster of bootstrap tokens).
   */
  ClusterCertificates initializedCluster(String name, Path kubeconfig) throws Exception {
    cluster(name, name + "-cp");
    initializedControlPlane(name + "-cp");
    KubeadmControlPlane kcp = client.resources(KubeadmControlPlane.class).inNamespace(ns).withName(name + "-cp").get();
    ClusterCertificates certs = ClusterCertificates.forInitialControlPlane(null).lookupOrGenerate(client, ns, name, kcp);
    kubeconfigOfThisPlane(name, kubeconfig);
    await("Cluster " + name + " control plane initialized", Duration.ofSeconds(60), () -> {
      Cluster c = client.resources(Cluster.class).inNamespace(ns).withName(name).get();
      return ClusterReadiness.controlPlaneInitialized(c) && ClusterReadiness.infrastructureProvisioned(c);
    });
    return certs;
  }

  void own(KubeadmConfig config, Machine machine) {
    Edits.retryingOnConflict(client.resources(KubeadmConfig.class).inNamespace(ns).withName(config.getMetadata().getName()), c -> {
      c.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("cluster.x-k8s.io/v1beta2")
          .withKind("Machine").withName(machine.getMetadata().getName()).withUid(machine.getMetadata().getUid())
          .withController(true).withBlockOwnerDeletion(true).build()));
      return c;
    });
  }

  /** The workload cluster's kubeconfig secret, pointing at this management plane (it stands in for the workload). */
  void kubeconfigOfThisPlane(String cluster, Path kubeconfig) throws Exception {
    var owner = client.resources(Cluster.class).inNamespace(ns).withName(cluster).get();
    Secret secret = ClusterSecrets.build(ns, Contract.Secret.kubeconfig(cluster), cluster, owner,
        Map.of(Contract.Secret.VALUE_KEY, Files.readAllBytes(kubeconfig)));
    client.resource(secret).create();
  }

  KubeadmConfig get(String config) {
    return client.resources(KubeadmConfig.class).inNamespace(ns).withName(config).get();
  }

  Secret secret(String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }

  static String text(Secret secret, String key) {
    return new String(ClusterSecrets.data(secret, key).orElseThrow(), StandardCharsets.UTF_8);
  }

  /** Polls until {@code check} returns non-null (or true), failing with {@code what} after {@code timeout}. */
  static <T> T await(String what, Duration timeout, Supplier<T> check) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      T value = check.get();
      if (value != null && !Boolean.FALSE.equals(value)) return value;
      if (Instant.now().isAfter(deadline)) fail("timed out after " + timeout + " waiting for " + what);
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
