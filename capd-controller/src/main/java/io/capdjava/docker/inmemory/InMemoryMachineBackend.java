package io.capdjava.docker.inmemory;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.api.infrastructure.v1beta2.DevMachineInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DevMachineStatus;
import io.capdjava.api.infrastructure.v1beta2.InMemoryMachineBackendSpec;
import io.capdjava.core.ClusterReadiness;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.CrashPoints;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.manager.PhaseDurations;
import io.capdjava.core.reconcile.PhaseFailure;
import io.capdjava.docker.inmemory.workload.ResourceTypes;
import io.capdjava.docker.inmemory.workload.SimulatedCluster;
import io.capdjava.docker.inmemory.workload.SimulatedClusters;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory backend of a DevMachine ({@code spec.backend.inMemory}; upstream v1.14's): no container, a simulated
 * machine in its cluster's {@link SimulatedCluster}. Phases, each after its configured startup delay: the VM
 * (waits for the cluster's infrastructure and the bootstrap data, as a real machine does; then the provider ID), the
 * Node (Ready), and on control plane machines the etcd member and the API server (their static pods, the etcd member
 * answering KCP, the cluster's API server serving), then what {@code kubeadm init} leaves (kubeadm-config, RBAC,
 * kube-proxy, CoreDNS). A machine that was fully up before (the Machine carries upstream's bootstrapped annotation)
 * comes back at once after a provider restart.
 */
public final class InMemoryMachineBackend {
  /** How soon to look again when the DevCluster's simulated cluster is not there yet (a restart: it is re-made). */
  private static final Duration CLUSTER_WAIT = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final SimulatedClusters clusters;
  /** When each machine's simulated parts were started and how long each takes; lost on restart, as a VM would be. */
  private final Map<String, Progress> progress = new ConcurrentHashMap<>();

  private static final class Progress {
    final Instant vmCreated = Instant.now();
    final Duration vmDelay;
    Instant vmProvisioned;
    Duration nodeDelay;
    Duration etcdDelay;
    Duration apiServerDelay;

    Progress(Duration vmDelay) {
      this.vmDelay = vmDelay;
    }
  }

  public InMemoryMachineBackend(KubernetesClient client, SimulatedClusters clusters) {
    this.client = client;
    this.clusters = clusters;
  }

  /** The conditions {@code Ready} summarises (upstream's order). */
  public static String[] readySummarises(boolean controlPlane) {
    return controlPlane
        ? new String[] {InMemoryConditions.VM_PROVISIONED, InMemoryConditions.NODE_PROVISIONED,
            InMemoryConditions.ETCD_PROVISIONED, InMemoryConditions.API_SERVER_PROVISIONED}
        : new String[] {InMemoryConditions.VM_PROVISIONED, InMemoryConditions.NODE_PROVISIONED};
  }

  /** Checks the startup settings; a {@link PhaseFailure} on {@code Ready} names the bad field. */
  public static void validate(DevMachine dm) {
    InMemoryMachineBackendSpec spec = dm.getSpec().backend.inMemory;
    try {
      StartupDelay.validate(spec.vm, "spec.backend.inMemory.vm");
      StartupDelay.validate(spec.node, "spec.backend.inMemory.node");
      StartupDelay.validate(spec.etcd, "spec.backend.inMemory.etcd");
      StartupDelay.validate(spec.apiServer, "spec.backend.inMemory.apiServer");
    } catch (IllegalArgumentException e) {
      throw new PhaseFailure(Contract.Condition.READY, Conditions.FALSE, "InvalidSpec", e.getMessage(), null);
    }
  }

  public Optional<Duration> reconcileNormal(DevMachine dm, Machine machine, Cluster cluster, boolean controlPlane) {
    DevMachineStatus status = dm.getStatus();
    List<Condition> conditions = status.conditions;
    Long gen = dm.getMetadata().getGeneration();
    InMemoryMachineBackendSpec spec = dm.getSpec().backend.inMemory;
    String name = dm.getMetadata().getName();

    if (!ClusterReadiness.infrastructureProvisioned(cluster)) {
      waitingForVm(conditions, controlPlane, InMemoryConditions.WAITING_FOR_CLUSTER_INFRASTRUCTURE_REASON,
          "Waiting for Cluster status.initialization.infrastructureProvisioned", gen);
      return Optional.empty();
    }
    String dataSecretName = machine.getSpec().bootstrap == null ? null : machine.getSpec().bootstrap.dataSecretName;
    if (dataSecretName == null || dataSecretName.isEmpty()) {
      if (!controlPlane && !ClusterReadiness.controlPlaneInitialized(cluster)) {
        waitingForVm(conditions, controlPlane, InMemoryConditions.WAITING_FOR_CONTROL_PLANE_INITIALIZED_REASON,
            "Waiting for the control plane to be initialized", gen);
      } else {
        waitingForVm(conditions, controlPlane, InMemoryConditions.WAITING_FOR_BOOTSTRAP_DATA_REASON,
            "Waiting for Machine spec.bootstrap.dataSecretName", gen);
      }
      return Optional.empty();
    }
    String namespace = dm.getMetadata().getNamespace();
    String clusterName = cluster.getMetadata().getName();
    Optional<SimulatedCluster> found = clusters.find(namespace, clusterName);
    if (found.isEmpty()) {
      // the DevCluster's reconcile makes it (again, after a restart)
      waitingForVm(conditions, controlPlane, InMemoryConditions.WAITING_FOR_CLUSTER_INFRASTRUCTURE_REASON,
          "Waiting for the DevCluster's in-memory workload cluster", gen);
      return Optional.of(CLUSTER_WAIT);
    }
    SimulatedCluster simulated = found.get();
    boolean bootstrapped = machine.getMetadata().getAnnotations() != null
        && machine.getMetadata().getAnnotations().containsKey(InMemoryConditions.MACHINE_BOOTSTRAPPED_ANNOTATION);
    Progress p = progress.computeIfAbsent(key(dm), k -> new Progress(StartupDelay.draw(spec.vm)));
    Instant now = Instant.now();
    List<Duration> waits = new ArrayList<>();

    // the VM
    Instant vmReady = p.vmCreated.plus(p.vmDelay);
    if (!bootstrapped && now.isBefore(vmReady)) {
      Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.VM_PROVISIONED,
          InMemoryConditions.WAITING_FOR_STARTUP_TIMEOUT_REASON, "", gen));
      waitingFor(conditions, controlPlane, InMemoryConditions.WAITING_FOR_VM_PROVISIONED_REASON, gen);
      return Optional.of(Duration.between(now, vmReady));
    }
    String providerId = SimulatedNodeObjects.providerId(name);
    if (!providerId.equals(dm.getSpec().providerID)) setProviderId(dm, providerId);
    status.initialization = new DevMachineInitializationStatus();
    status.initialization.provisioned = true;
    status.failureDomain = machine.getSpec().failureDomain;
    if (!Conditions.isTrue(conditions, InMemoryConditions.VM_PROVISIONED)) {
      CrashPoints.reach("in-memory/vm-provisioned");
      PhaseDurations.sinceCreation("in_memory_vm_provisioned", dm);
    }
    Conditions.set(conditions, Conditions.isTrue(InMemoryConditions.VM_PROVISIONED,
        InMemoryConditions.PROVISIONED_REASON, gen));
    if (p.vmProvisioned == null) p.vmProvisioned = now;

    // the Node
    if (p.nodeDelay == null) p.nodeDelay = StartupDelay.draw(spec.node);
    Instant nodeReady = p.vmProvisioned.plus(p.nodeDelay);
    if (!bootstrapped && now.isBefore(nodeReady)) {
      Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.NODE_PROVISIONED,
          InMemoryConditions.WAITING_FOR_STARTUP_TIMEOUT_REASON, "", gen));
      if (controlPlane) {
        for (String type : List.of(InMemoryConditions.ETCD_PROVISIONED, InMemoryConditions.API_SERVER_PROVISIONED)) {
          Conditions.set(conditions, Conditions.isFalse(type, InMemoryConditions.WAITING_FOR_NODE_PROVISIONED_REASON,
              "", gen));
        }
      }
      return Optional.of(Duration.between(now, nodeReady));
    }
    simulated.objects().createIfAbsent(ResourceTypes.NODES,
        SimulatedNodeObjects.node(name, providerId, machine.getSpec().version, controlPlane));
    CrashPoints.reach("in-memory/node-created");
    Conditions.set(conditions, Conditions.isTrue(InMemoryConditions.NODE_PROVISIONED,
        InMemoryConditions.PROVISIONED_REASON, gen));

    if (controlPlane) {
      reconcileEtcd(dm, cluster, simulated, p, nodeReady, bootstrapped, now, gen).ifPresent(waits::add);
      reconcileApiServer(dm, machine, cluster, simulated, p, nodeReady, bootstrapped, now, gen).ifPresent(waits::add);
    }
    if (!waits.isEmpty()) return waits.stream().min(Duration::compareTo);
    if (!bootstrapped) {
      annotateBootstrapped(machine);
      CrashPoints.reach("in-memory/machine-bootstrapped");
      PhaseDurations.sinceCreation("in_memory_machine_bootstrapped", dm);
    }
    return Optional.empty();
  }

  private Optional<Duration> reconcileEtcd(DevMachine dm, Cluster cluster, SimulatedCluster simulated, Progress p,
      Instant nodeReady, boolean bootstrapped, Instant now, Long gen) {
    List<Condition> conditions = dm.getStatus().conditions;
    if (p.etcdDelay == null) p.etcdDelay = StartupDelay.draw(dm.getSpec().backend.inMemory.etcd);
    Instant ready = nodeReady.plus(p.etcdDelay);
    if (!bootstrapped && now.isBefore(ready)) {
      Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.ETCD_PROVISIONED,
          InMemoryConditions.WAITING_FOR_STARTUP_TIMEOUT_REASON, "", gen));
      return Optional.of(Duration.between(now, ready));
    }
    String node = dm.getMetadata().getName();
    String pod = SimulatedNodeObjects.staticPodName("etcd", node);
    CertificateKeyPair etcdCa = clusterSecret(cluster, Contract.Secret.etcdCa(cluster.getMetadata().getName()),
        InMemoryConditions.ETCD_PROVISIONED, gen, conditions);
    if (etcdCa == null) return Optional.of(CLUSTER_WAIT);
    // the member answers before its pod shows: whoever sees the pod (KCP) can reach the member
    simulated.etcd().addMember(node);
    simulated.startEtcdMember(pod, etcdCa);
    CrashPoints.reach("in-memory/etcd-member-started");
    simulated.objects().createIfAbsent(ResourceTypes.PODS,
        SimulatedNodeObjects.staticPod("etcd", node, KubeadmObjects.IMAGE_REPOSITORY + "/etcd:3.6.4-0"));
    Conditions.set(conditions, Conditions.isTrue(InMemoryConditions.ETCD_PROVISIONED,
        InMemoryConditions.PROVISIONED_REASON, gen));
    return Optional.empty();
  }

  private Optional<Duration> reconcileApiServer(DevMachine dm, Machine machine, Cluster cluster,
      SimulatedCluster simulated, Progress p, Instant nodeReady, boolean bootstrapped, Instant now, Long gen) {
    List<Condition> conditions = dm.getStatus().conditions;
    if (p.apiServerDelay == null) p.apiServerDelay = StartupDelay.draw(dm.getSpec().backend.inMemory.apiServer);
    Instant ready = nodeReady.plus(p.apiServerDelay);
    if (!bootstrapped && now.isBefore(ready)) {
      Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.API_SERVER_PROVISIONED,
          InMemoryConditions.WAITING_FOR_STARTUP_TIMEOUT_REASON, "", gen));
      return Optional.of(Duration.between(now, ready));
    }
    String node = dm.getMetadata().getName();
    String version = machine.getSpec().version;
    CertificateKeyPair clusterCa = clusterSecret(cluster, Contract.Secret.clusterCa(cluster.getMetadata().getName()),
        InMemoryConditions.API_SERVER_PROVISIONED, gen, conditions);
    if (clusterCa == null) return Optional.of(CLUSTER_WAIT);
    if (simulated.apiServers().isEmpty() || !simulated.apiServers().contains(
        SimulatedNodeObjects.staticPodName("kube-apiserver", node))) {
      simulated.setKubernetesVersion(version);
    }
    // the API server serves before its pod shows: KCP reads its certificate through a port-forward to the pod
    simulated.startApiServer(SimulatedNodeObjects.staticPodName("kube-apiserver", node), clusterCa);
    CrashPoints.reach("in-memory/api-server-started");
    String tag = KubeadmObjects.ociTag(version);
    for (String component : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
      simulated.objects().createIfAbsent(ResourceTypes.PODS, SimulatedNodeObjects.staticPod(component, node,
          KubeadmObjects.IMAGE_REPOSITORY + "/" + component + ":" + tag));
    }
    // what kubeadm init leaves behind; idempotent, so every control plane machine may ensure it
    var objects = simulated.objects();
    objects.createIfAbsent(ResourceTypes.CONFIG_MAPS, KubeadmObjects.kubeadmConfig(clusterFacts(cluster, version)));
    objects.createIfAbsent(ResourceTypes.CLUSTER_ROLES, KubeadmObjects.getNodesClusterRole());
    objects.createIfAbsent(ResourceTypes.CLUSTER_ROLE_BINDINGS, KubeadmObjects.getNodesClusterRoleBinding());
    objects.createIfAbsent(ResourceTypes.DAEMON_SETS, KubeadmObjects.kubeProxy(version));
    String dnsDomain = dnsDomain(cluster);
    objects.createIfAbsent(ResourceTypes.CONFIG_MAPS, KubeadmObjects.corednsConfigMap(dnsDomain));
    objects.createIfAbsent(ResourceTypes.DEPLOYMENTS, KubeadmObjects.corednsDeployment());
    Conditions.set(conditions, Conditions.isTrue(InMemoryConditions.API_SERVER_PROVISIONED,
        InMemoryConditions.PROVISIONED_REASON, gen));
    return Optional.empty();
  }

  /**
   * Removes the machine's simulated parts: its Node, its static pods, its etcd member's and API server's serving
   * (the etcd membership itself is KCP's to remove, as on a real cluster). Nothing to do once the cluster is gone.
   */
  public Optional<Duration> reconcileDelete(DevMachine dm, String clusterName) {
    progress.remove(key(dm));
    if (clusterName == null) return Optional.empty();
    Optional<SimulatedCluster> found = clusters.find(dm.getMetadata().getNamespace(), clusterName);
    if (found.isEmpty()) return Optional.empty();
    SimulatedCluster simulated = found.get();
    String node = dm.getMetadata().getName();
    simulated.objects().delete(ResourceTypes.NODES, "", node);
    for (String component : SimulatedNodeObjects.STATIC_POD_COMPONENTS) {
      simulated.objects().delete(ResourceTypes.PODS, SimulatedNodeObjects.KUBE_SYSTEM,
          SimulatedNodeObjects.staticPodName(component, node));
    }
    simulated.stopEtcdMember(SimulatedNodeObjects.staticPodName("etcd", node));
    simulated.stopApiServer(SimulatedNodeObjects.staticPodName("kube-apiserver", node));
    CrashPoints.reach("in-memory/machine-removed");
    return Optional.empty();
  }

  /** Drops what is kept in memory for a machine that is gone. */
  public void forget(DevMachine dm) {
    progress.remove(key(dm));
  }

  private CertificateKeyPair clusterSecret(Cluster cluster, String secretName, String condition, Long gen,
      List<Condition> conditions) {
    Secret secret = client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(secretName).get();
    Optional<String> cert = secret == null ? Optional.empty() : ClusterSecrets.data(secret, Contract.Secret.TLS_CERT_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8));
    Optional<String> key = secret == null ? Optional.empty() : ClusterSecrets.data(secret, Contract.Secret.TLS_KEY_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8));
    if (cert.isEmpty() || key.isEmpty()) {
      // the control plane provider makes the cluster's certificates before the first machine's bootstrap data
      Conditions.set(conditions, Conditions.isFalse(condition, InMemoryConditions.INTERNAL_ERROR_REASON,
          "Secret " + cluster.getMetadata().getNamespace() + "/" + secretName + " with tls.crt and tls.key not found",
          gen));
      return null;
    }
    return new CertificateKeyPair(cert.get(), key.get());
  }

  private void setProviderId(DevMachine dm, String providerId) {
    DevMachine patched = client.resources(DevMachine.class).inNamespace(dm.getMetadata().getNamespace())
        .withName(dm.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"providerID\":\"" + providerId + "\"}}");
    dm.getSpec().providerID = providerId;
    // the status patch that follows must not conflict with this change
    dm.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    dm.getMetadata().setGeneration(patched.getMetadata().getGeneration());
  }

  /** Upstream's marker on the Machine: only that annotation is written, nothing else of CAPI core's object. */
  private void annotateBootstrapped(Machine machine) {
    client.resources(Machine.class).inNamespace(machine.getMetadata().getNamespace())
        .withName(machine.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + InMemoryConditions.MACHINE_BOOTSTRAPPED_ANNOTATION + "\":\"\"}}}");
  }

  private static void waitingForVm(List<Condition> conditions, boolean controlPlane, String reason, String message,
      Long gen) {
    Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.VM_PROVISIONED, reason, message, gen));
    waitingFor(conditions, controlPlane, InMemoryConditions.WAITING_FOR_VM_PROVISIONED_REASON, gen);
  }

  /** The parts after the VM wait for it. */
  private static void waitingFor(List<Condition> conditions, boolean controlPlane, String reason, Long gen) {
    Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.NODE_PROVISIONED, reason, "", gen));
    if (!controlPlane) return;
    Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.ETCD_PROVISIONED, reason, "", gen));
    Conditions.set(conditions, Conditions.isFalse(InMemoryConditions.API_SERVER_PROVISIONED, reason, "", gen));
  }

  private static KubeadmObjects.ClusterFacts clusterFacts(Cluster cluster, String version) {
    var endpoint = cluster.getSpec().controlPlaneEndpoint;
    var network = cluster.getSpec().clusterNetwork;
    String pods = network == null || network.pods == null || network.pods.cidrBlocks == null
        || network.pods.cidrBlocks.isEmpty() ? null : String.join(",", network.pods.cidrBlocks);
    String services = network == null || network.services == null || network.services.cidrBlocks == null
        || network.services.cidrBlocks.isEmpty() ? null : String.join(",", network.services.cidrBlocks);
    return new KubeadmObjects.ClusterFacts(cluster.getMetadata().getName(), version,
        endpoint == null ? "" : endpoint.host + ":" + endpoint.port, dnsDomain(cluster), pods, services);
  }

  private static String dnsDomain(Cluster cluster) {
    var network = cluster.getSpec().clusterNetwork;
    return network == null || network.serviceDomain == null || network.serviceDomain.isEmpty()
        ? "cluster.local" : network.serviceDomain;
  }

  private static String key(DevMachine dm) {
    return dm.getMetadata().getNamespace() + "/" + dm.getMetadata().getName() + "/" + dm.getMetadata().getUid();
  }
}
