package io.capdjava.docker.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineAddress;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineStatus;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.Finalizers;
import io.capdjava.core.GoDuration;
import io.capdjava.core.Owners;
import io.capdjava.core.Paused;
import io.capdjava.core.StatusPatch;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.docker.Labels;
import io.capdjava.docker.bootstrap.BootstrapDataException;
import io.capdjava.docker.bootstrap.BootstrapRunner;
import io.capdjava.docker.bootstrap.BootstrapStep;
import io.capdjava.docker.bootstrap.CloudInitScript;
import io.capdjava.docker.bootstrap.KubeadmInContainers;
import io.capdjava.docker.loadbalancer.LoadBalancer;
import io.capdjava.docker.loadbalancer.LoadBalancerConfiguration;
import io.capdjava.docker.machine.NodeContainer;
import io.capdjava.docker.machine.NodeImage;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DockerMachine: one node container per Machine, bootstrapped with the Machine's bootstrap data. Phases: observe
 * (owner Machine, Cluster, DockerCluster, pausing, deletion, an existing container), wait for what upstream waits
 * for, create the container, configure the load balancer for control-plane nodes, bootstrap, set the provider ID on
 * the machine and its Node, record status.
 */
// every event, deletions included, reaches reconcile: upstream's finalizer names have no slash, so JOSDK cannot
// manage them, and it would otherwise skip objects being deleted
@ControllerConfiguration(name = "dockermachine", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DockerMachineReconciler implements Reconciler<DockerMachine> {
  public static final String CONTAINER_PROVISIONED = "ContainerProvisioned";
  public static final String BOOTSTRAP_EXEC_SUCCEEDED = "BootstrapExecSucceeded";
  static final Duration DEFAULT_BOOTSTRAP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(DockerMachineReconciler.class);

  private final KubernetesClient client;
  private final ContainerRuntime runtime;
  private final SecurityProfile security;
  private final WorkloadClusterClients workloadClusters;
  private final BootstrapRunner bootstrapRunner;
  private final LoadBalancerConfiguration loadBalancers;
  private final KubeadmInContainers kubeadm;
  private final BootstrapRetries retries = new BootstrapRetries();

  public DockerMachineReconciler(KubernetesClient client, ContainerRuntime runtime, SecurityProfile security,
      WorkloadClusterClients workloadClusters, boolean kubeletCgroupRoot) {
    this.client = client;
    this.runtime = runtime;
    this.security = security;
    this.workloadClusters = workloadClusters;
    this.bootstrapRunner = new BootstrapRunner(runtime);
    this.loadBalancers = new LoadBalancerConfiguration(client, runtime);
    this.kubeadm = new KubeadmInContainers(kubeletCgroupRoot);
  }

  @Override
  public List<EventSource<?, DockerMachine>> prepareEventSources(EventSourceContext<DockerMachine> context) {
    var machines = new InformerEventSource<>(InformerEventSourceConfiguration.from(Machine.class, DockerMachine.class)
        .withSecondaryToPrimaryMapper(m -> m.getSpec() == null || m.getSpec().infrastructureRef == null
            || !"DockerMachine".equals(m.getSpec().infrastructureRef.kind)
            ? Set.of()
            : Set.of(new ResourceID(m.getSpec().infrastructureRef.name, m.getMetadata().getNamespace())))
        .build(), context);
    // the Cluster's infrastructure and control plane becoming ready move every machine of the cluster on
    var clusters = new InformerEventSource<>(InformerEventSourceConfiguration.from(Cluster.class, DockerMachine.class)
        .withSecondaryToPrimaryMapper(c -> context.getPrimaryCache()
            .list(c.getMetadata().getNamespace(), dm -> c.getMetadata().getName().equals(
                Owners.clusterName(dm).orElse(null)))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    return List.of(machines, clusters);
  }

  @Override
  public UpdateControl<DockerMachine> reconcile(DockerMachine dm, Context<DockerMachine> context) {
    if (context.isPrimaryResourceDeleted()) return UpdateControl.noUpdate();
    JsonNode before = StatusPatch.snapshot(dm);
    if (dm.getStatus() == null) dm.setStatus(new DockerMachineStatus());
    Optional<Machine> machine = Owners.machine(client, dm);

    if (dm.getMetadata().getDeletionTimestamp() != null) return delete(dm, machine);
    if (machine.isEmpty()) {
      LOG.debug("{}: waiting for the Machine controller to set the owner reference", name(dm));
      return UpdateControl.noUpdate();
    }
    Optional<Cluster> cluster = Owners.clusterOf(client, machine.get());
    if (cluster.isEmpty()) return UpdateControl.noUpdate();
    DockerCluster dockerCluster = dockerCluster(cluster.get());
    if (dockerCluster == null) return UpdateControl.noUpdate();

    dm = Finalizers.ensure(client, dm, Contract.Finalizer.DOCKER_MACHINE);
    if (dm.getStatus() == null) dm.setStatus(new DockerMachineStatus());
    DockerMachineStatus status = dm.getStatus();
    Long generation = dm.getMetadata().getGeneration();
    status.conditions = Conditions.set(status.conditions, Paused.condition(cluster.get(), dm));
    if (Paused.isPaused(cluster.get(), dm)) return StatusPatch.ifChanged(before, dm);

    MachineContext m = new MachineContext(dm, machine.get(), cluster.get(), dockerCluster);
    Duration requeue = provision(m, context);
    Conditions.set(status.conditions, Conditions.summary(status.conditions, generation, CONTAINER_PROVISIONED,
        BOOTSTRAP_EXEC_SUCCEEDED));
    UpdateControl<DockerMachine> update = StatusPatch.ifChanged(before, dm);
    return requeue == null ? update : update.rescheduleAfter(requeue);
  }

  /** Everything a machine's provisioning reads, found once per reconcile. */
  private record MachineContext(DockerMachine dm, Machine machine, Cluster cluster, DockerCluster dockerCluster) {
    String clusterName() {
      return cluster.getMetadata().getName();
    }

    String containerName() {
      return NodeContainer.name(clusterName(), machine.getMetadata().getName());
    }

    boolean controlPlane() {
      return machine.getMetadata().getLabels() != null
          && machine.getMetadata().getLabels().containsKey(Contract.Label.CONTROL_PLANE);
    }

    Long generation() {
      return dm.getMetadata().getGeneration();
    }
  }

  /** Provisions the machine; returns when to look again, or null when only events should wake it. */
  private Duration provision(MachineContext m, Context<DockerMachine> context) {
    DockerMachineStatus status = m.dm().getStatus();
    Long gen = m.generation();
    Optional<ContainerInfo> container = runtime.find(m.containerName());

    if (m.dm().getSpec() != null && m.dm().getSpec().providerID != null && !m.dm().getSpec().providerID.isEmpty()) {
      // provisioned before (possibly by another provider instance, or before a move): report, never re-create
      markProvisioned(m);
      if (container.isPresent()) {
        Conditions.set(status.conditions, Conditions.isTrue(CONTAINER_PROVISIONED, "Provisioned", gen));
        status.addresses = addresses(container.get());
        if (Conditions.get(status.conditions, BOOTSTRAP_EXEC_SUCCEEDED).isEmpty()) {
          Conditions.set(status.conditions, Conditions.isTrue(BOOTSTRAP_EXEC_SUCCEEDED, "Succeeded", gen));
        }
        if (m.controlPlane()) loadBalancers.reconcile(m.dockerCluster(), m.clusterName());
      } else {
        Conditions.set(status.conditions, Conditions.isFalse(CONTAINER_PROVISIONED, "NotProvisioned",
            "Container " + m.containerName() + " does not exist anymore", gen));
      }
      return null;
    }

    if (!infrastructureProvisioned(m.cluster())) {
      Conditions.set(status.conditions, Conditions.isFalse(CONTAINER_PROVISIONED,
          "WaitingForClusterInfrastructureReady", "Waiting for Cluster status.initialization.infrastructureProvisioned",
          gen));
      return null;
    }
    String dataSecretName = m.machine().getSpec().bootstrap == null ? null : m.machine().getSpec().bootstrap.dataSecretName;
    if (dataSecretName == null || dataSecretName.isEmpty()) {
      if (!m.controlPlane() && !controlPlaneInitialized(m.cluster())) {
        Conditions.set(status.conditions, Conditions.isFalse(CONTAINER_PROVISIONED, "WaitingForControlPlaneInitialized",
            "Waiting for the control plane to be initialized", gen));
      } else {
        Conditions.set(status.conditions, Conditions.isFalse(CONTAINER_PROVISIONED, "WaitingForBootstrapData",
            "Waiting for Machine spec.bootstrap.dataSecretName", gen));
      }
      return null;
    }

    ContainerInfo node = container.filter(ContainerInfo::running).orElseGet(() -> {
      // a container that stopped before it was ever provisioned is replaced
      container.ifPresent(c -> runtime.remove(c.name()));
      return createContainer(m);
    });
    Conditions.set(status.conditions, Conditions.isTrue(CONTAINER_PROVISIONED, "Provisioned", gen));
    if (m.controlPlane()) loadBalancers.reconcile(m.dockerCluster(), m.clusterName());

    Duration wait = retries.waitBeforeNextAttempt(m.dm());
    if (!wait.isZero()) return wait;
    BootstrapRunner.Outcome outcome = bootstrap(m, node, dataSecretName, context);
    if (!outcome.succeeded()) {
      Conditions.set(status.conditions, Conditions.isFalse(BOOTSTRAP_EXEC_SUCCEEDED, outcome.reason(),
          outcome.message(), gen));
      return outcome.reason().equals("Cancelled") ? null : retries.failed(m.dm());
    }
    retries.succeeded(m.dm());
    Conditions.set(status.conditions, Conditions.isTrue(BOOTSTRAP_EXEC_SUCCEEDED, "Succeeded", gen));
    status.addresses = addresses(runtime.find(node.name()).orElse(node));

    // the Node's providerID links it to this Machine; nodes of clusters with a control plane wait for it to be up
    if (m.cluster().getSpec().controlPlaneRef != null && m.cluster().getSpec().controlPlaneRef.isDefined()
        && !controlPlaneInitialized(m.cluster())) {
      return WAIT;
    }
    if (!setNodeProviderId(m)) return WAIT;
    setProviderId(m);
    markProvisioned(m);
    return null;
  }

  private ContainerInfo createContainer(MachineContext m) {
    String image = NodeImage.forMachine(m.dm().getSpec() == null ? null : m.dm().getSpec().customImage,
        m.machine().getSpec().version);
    if (!runtime.imagePresent(image)) runtime.pull(image);
    runtime.ensureNetwork(Labels.NETWORK);
    LOG.info("{}: creating container {} from {}", name(m.dm()), m.containerName(), image);
    return runtime.run(NodeContainer.spec(m.clusterName(), m.machine().getMetadata().getName(), image, m.controlPlane(),
        m.machine().getSpec().failureDomain, m.dm().getSpec() == null ? null : m.dm().getSpec().extraMounts, security));
  }

  private BootstrapRunner.Outcome bootstrap(MachineContext m, ContainerInfo node, String dataSecretName,
      Context<DockerMachine> context) {
    if (bootstrapRunner.alreadyBootstrapped(node.name())) return new BootstrapRunner.Outcome(true, true, "Succeeded", "");
    Secret secret = client.secrets().inNamespace(m.dm().getMetadata().getNamespace()).withName(dataSecretName).get();
    Optional<byte[]> value = ClusterSecrets.data(secret, Contract.Secret.VALUE_KEY);
    if (value.isEmpty()) {
      return new BootstrapRunner.Outcome(false, false, "NotSucceeded", "bootstrap data secret " + dataSecretName
          + (secret == null ? " does not exist" : " has no key 'value'"));
    }
    String format = ClusterSecrets.data(secret, Contract.Secret.FORMAT_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("cloud-config");
    if (!format.isEmpty() && !format.equals("cloud-config")) {
      return new BootstrapRunner.Outcome(false, false, "NotSucceeded", "bootstrap data format '" + format
          + "' is not supported; only cloud-config is");
    }
    List<BootstrapStep> steps;
    try {
      steps = CloudInitScript.parse(new String(value.get(), StandardCharsets.UTF_8), kubeadm);
    } catch (BootstrapDataException e) {
      return new BootstrapRunner.Outcome(false, false, "NotSucceeded", e.getMessage());
    }
    ResourceID id = ResourceID.fromResource(m.dm());
    LOG.info("{}: bootstrapping {} ({} steps)", name(m.dm()), node.name(), steps.size());
    return bootstrapRunner.run(node.name(), steps, m.dm().getSpec().preLoadImages, bootstrapTimeout(m.dm()),
        () -> context.getPrimaryCache().get(id).map(d -> d.getMetadata().getDeletionTimestamp() != null).orElse(true));
  }

  private boolean setNodeProviderId(MachineContext m) {
    Optional<KubernetesClient> workload =
        workloadClusters.forCluster(m.cluster().getMetadata().getNamespace(), m.clusterName());
    if (workload.isEmpty()) return false;
    try {
      Node node = workload.get().nodes().withName(m.containerName()).get();
      if (node == null) return false;
      if (node.getSpec() == null || node.getSpec().getProviderID() == null || node.getSpec().getProviderID().isEmpty()) {
        workload.get().nodes().withName(m.containerName()).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"providerID\":\"" + providerId(m) + "\"}}");
      }
      return true;
    } catch (RuntimeException e) {
      LOG.info("{}: workload cluster not reachable yet: {}", name(m.dm()), e.getMessage());
      return false;
    }
  }

  private void setProviderId(MachineContext m) {
    DockerMachine patched = client.resources(DockerMachine.class).inNamespace(m.dm().getMetadata().getNamespace())
        .withName(m.dm().getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"providerID\":\"" + providerId(m) + "\"}}");
    m.dm().getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    m.dm().getSpec().providerID = providerId(m);
  }

  private static String providerId(MachineContext m) {
    return "docker:////" + m.containerName();
  }

  private static void markProvisioned(MachineContext m) {
    DockerMachineStatus status = m.dm().getStatus();
    status.initialization = new DockerMachineInitializationStatus();
    status.initialization.provisioned = true;
    status.failureDomain = m.machine().getSpec().failureDomain;
  }

  private UpdateControl<DockerMachine> delete(DockerMachine dm, Optional<Machine> machine) {
    String clusterName = machine.flatMap(Owners::clusterName).or(() -> Owners.clusterName(dm)).orElse(null);
    String machineName = machine.map(mm -> mm.getMetadata().getName()).orElse(dm.getMetadata().getName());
    if (clusterName != null) {
      String container = NodeContainer.name(clusterName, machineName);
      boolean controlPlane = runtime.find(container)
          .map(c -> Labels.ROLE_CONTROL_PLANE.equals(c.labels().get(Labels.ROLE))).orElse(false);
      runtime.remove(container);
      LOG.info("{}: container {} removed", name(dm), container);
      if (controlPlane) {
        DockerCluster dockerCluster = Owners.cluster(client, dm.getMetadata().getNamespace(), clusterName)
            .map(this::dockerCluster).orElse(null);
        if (dockerCluster != null && new LoadBalancer(runtime, clusterName).find().isPresent()) {
          loadBalancers.reconcile(dockerCluster, clusterName);
        }
      }
    }
    Finalizers.remove(client, dm, Contract.Finalizer.DOCKER_MACHINE);
    retries.succeeded(dm);
    return UpdateControl.noUpdate();
  }

  @Override
  public ErrorStatusUpdateControl<DockerMachine> updateErrorStatus(DockerMachine dm, Context<DockerMachine> context,
      Exception e) {
    // deleted while it was reconciled (its finalizer was just removed): there is no status left to record into
    if (deletedMeanwhile(e, dm)) return ErrorStatusUpdateControl.noStatusUpdate();
    if (dm.getStatus() == null) dm.setStatus(new DockerMachineStatus());
    Long gen = dm.getMetadata().getGeneration();
    dm.getStatus().conditions = Conditions.set(dm.getStatus().conditions,
        Conditions.isFalse(Contract.Condition.READY, Contract.Condition.INTERNAL_ERROR_REASON, e.getMessage(), gen));
    return ErrorStatusUpdateControl.patchStatus(dm);
  }

  private static boolean deletedMeanwhile(Throwable e, DockerMachine dm) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 404
          && k.getStatus() != null && k.getStatus().getDetails() != null
          && dm.getMetadata().getName().equals(k.getStatus().getDetails().getName())) {
        return true;
      }
    }
    return false;
  }

  private DockerCluster dockerCluster(Cluster cluster) {
    var ref = cluster.getSpec() == null ? null : cluster.getSpec().infrastructureRef;
    if (ref == null || ref.name == null) return null;
    return client.resources(DockerCluster.class).inNamespace(cluster.getMetadata().getNamespace()).withName(ref.name)
        .get();
  }

  private static boolean infrastructureProvisioned(Cluster cluster) {
    return cluster.getStatus() != null && cluster.getStatus().initialization != null
        && Boolean.TRUE.equals(cluster.getStatus().initialization.infrastructureProvisioned);
  }

  static boolean controlPlaneInitialized(Cluster cluster) {
    return cluster.getStatus() != null && (Conditions.isTrue(cluster.getStatus().conditions, "ControlPlaneInitialized")
        || cluster.getStatus().initialization != null
            && Boolean.TRUE.equals(cluster.getStatus().initialization.controlPlaneInitialized));
  }

  private static Duration bootstrapTimeout(DockerMachine dm) {
    String value = dm.getSpec() == null ? null : dm.getSpec().bootstrapTimeout;
    if (value == null || value.isEmpty()) return DEFAULT_BOOTSTRAP_TIMEOUT;
    try {
      return GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.bootstrapTimeout: " + e.getMessage(), e);
    }
  }

  private static List<MachineAddress> addresses(ContainerInfo container) {
    List<MachineAddress> addresses = new ArrayList<>();
    addresses.add(new MachineAddress(MachineAddress.HOSTNAME, container.name()));
    String ip = container.ipv4On(Labels.NETWORK);
    if (!ip.isEmpty()) {
      addresses.add(new MachineAddress(MachineAddress.INTERNAL_IP, ip));
      addresses.add(new MachineAddress(MachineAddress.EXTERNAL_IP, ip));
    }
    return addresses;
  }

  private static String name(DockerMachine dm) {
    return dm.getMetadata().getNamespace() + "/" + dm.getMetadata().getName();
  }
}
