package io.capdjava.docker.reconcile;

import io.capdjava.docker.DockerConditions;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineAddress;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineStatus;
import io.capdjava.core.ClusterReadiness;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.reconcile.FailureMessage;
import io.capdjava.core.reconcile.PhaseFailure;
import io.capdjava.core.reconcile.ProviderReconciler;
import io.fabric8.kubernetes.api.model.Condition;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.GoDuration;
import io.capdjava.core.Owners;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.docker.Labels;
import io.capdjava.docker.bootstrap.BootstrapDataException;
import io.capdjava.docker.bootstrap.BootstrapRunner;
import io.capdjava.docker.bootstrap.BootstrapStep;
import io.capdjava.docker.bootstrap.CloudConfigCommands;
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
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
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
public final class DockerMachineReconciler
    extends ProviderReconciler<DockerMachine, DockerMachineReconciler.MachineContext> {
  static final Duration DEFAULT_BOOTSTRAP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(DockerMachineReconciler.class);

  private final ContainerRuntime runtime;
  private final SecurityProfile security;
  private final WorkloadClusterClients workloadClusters;
  private final BootstrapRunner bootstrapRunner;
  private final LoadBalancerConfiguration loadBalancers;
  private final KubeadmInContainers kubeadm;
  private final BootstrapRetries retries = new BootstrapRetries();

  public DockerMachineReconciler(KubernetesClient client, ContainerRuntime runtime, SecurityProfile security,
      WorkloadClusterClients workloadClusters, boolean kubeletCgroupRoot, EventRecorder events) {
    super(client, events);
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

  /**
   * Everything a machine's provisioning reads, found once per reconcile (Machine, Cluster and DockerCluster may be
   * null while deleting).
   */
  record MachineContext(DockerMachine dm, Machine machine, Cluster cluster, DockerCluster dockerCluster,
      Context<DockerMachine> context) {
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

  @Override
  protected Observation<MachineContext> observe(DockerMachine dm, Context<DockerMachine> context) {
    Optional<Machine> machine = Owners.machine(client, dm);
    if (dm.isMarkedForDeletion()) {
      Optional<Cluster> cluster = machine.flatMap(m -> Owners.clusterOf(client, m))
          .or(() -> Owners.clusterName(dm).flatMap(n -> Owners.cluster(client, dm.getMetadata().getNamespace(), n)));
      return Observation.found(new MachineContext(dm, machine.orElse(null), cluster.orElse(null), null, context),
          cluster.orElse(null));
    }
    if (machine.isEmpty()) return Observation.waitingFor("the Machine controller to set the owner reference");
    Optional<Cluster> cluster = Owners.clusterOf(client, machine.get());
    if (cluster.isEmpty()) return Observation.waitingFor("the Machine's Cluster");
    DockerCluster dockerCluster = dockerCluster(cluster.get());
    if (dockerCluster == null) return Observation.waitingFor("the Cluster's DockerCluster");
    return Observation.found(new MachineContext(dm, machine.get(), cluster.get(), dockerCluster, context),
        cluster.get());
  }

  @Override
  protected String finalizer() {
    return Contract.Finalizer.DOCKER_MACHINE;
  }

  @Override
  protected List<Condition> conditions(DockerMachine dm) {
    if (dm.getStatus() == null) dm.setStatus(new DockerMachineStatus());
    if (dm.getStatus().conditions == null) dm.getStatus().conditions = new ArrayList<>();
    return dm.getStatus().conditions;
  }

  @Override
  protected String[] readySummarises() {
    return new String[] {DockerConditions.CONTAINER_PROVISIONED, DockerConditions.BOOTSTRAP_EXEC_SUCCEEDED};
  }

  @Override
  protected void validate(MachineContext m) {
    bootstrapTimeout(m.dm());
  }

  @Override
  protected Optional<Duration> reconcileNormal(MachineContext m) {
    return Optional.ofNullable(provision(m));
  }

  @Override
  protected void forget(DockerMachine dm) {
    retries.succeeded(dm);
  }

  /** Provisions the machine; returns when to look again, or null when only events should wake it. */
  private Duration provision(MachineContext m) {
    DockerMachineStatus status = m.dm().getStatus();
    Long gen = m.generation();
    Optional<ContainerInfo> container = runtime.find(m.containerName());

    if (m.dm().getSpec() != null && m.dm().getSpec().providerID != null && !m.dm().getSpec().providerID.isEmpty()) {
      // provisioned before (possibly by another provider instance, or before a move): report, never re-create
      markProvisioned(m);
      if (container.isPresent()) {
        Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.CONTAINER_PROVISIONED, DockerConditions.PROVISIONED_REASON, gen));
        status.addresses = addresses(container.get());
        if (Conditions.get(status.conditions, DockerConditions.BOOTSTRAP_EXEC_SUCCEEDED).isEmpty()) {
          Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.BOOTSTRAP_EXEC_SUCCEEDED, DockerConditions.SUCCEEDED_REASON, gen));
        }
        if (m.controlPlane()) configureLoadBalancer(m);
      } else {
        Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED, DockerConditions.NOT_PROVISIONED_REASON,
            "Container " + m.containerName() + " does not exist anymore", gen));
      }
      return null;
    }

    if (!ClusterReadiness.infrastructureProvisioned(m.cluster())) {
      Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED,
          DockerConditions.WAITING_FOR_CLUSTER_INFRASTRUCTURE_REASON, "Waiting for Cluster status.initialization.infrastructureProvisioned",
          gen));
      return null;
    }
    String dataSecretName = m.machine().getSpec().bootstrap == null ? null : m.machine().getSpec().bootstrap.dataSecretName;
    if (dataSecretName == null || dataSecretName.isEmpty()) {
      if (!m.controlPlane() && !ClusterReadiness.controlPlaneInitialized(m.cluster())) {
        Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED, DockerConditions.WAITING_FOR_CONTROL_PLANE_INITIALIZED_REASON,
            "Waiting for the control plane to be initialized", gen));
      } else {
        Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED, DockerConditions.WAITING_FOR_BOOTSTRAP_DATA_REASON,
            "Waiting for Machine spec.bootstrap.dataSecretName", gen));
      }
      return null;
    }

    ContainerInfo node = container.filter(ContainerInfo::running).orElseGet(() -> {
      // a container that stopped before it was ever provisioned is replaced
      container.ifPresent(c -> runtime.remove(c.name()));
      return createContainer(m);
    });
    Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.CONTAINER_PROVISIONED, DockerConditions.PROVISIONED_REASON, gen));
    if (m.controlPlane()) configureLoadBalancer(m);

    Duration wait = retries.waitBeforeNextAttempt(m.dm());
    if (!wait.isZero()) return wait;
    BootstrapRunner.Outcome outcome = bootstrap(m, node, dataSecretName);
    if (!outcome.succeeded()) {
      Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.BOOTSTRAP_EXEC_SUCCEEDED, outcome.reason(),
          outcome.message(), gen));
      if (outcome.reason().equals(DockerConditions.CANCELLED_REASON)) return null;
      events.warning(m.dm(), "BootstrapFailed", outcome.message());
      return retries.failed(m.dm());
    }
    retries.succeeded(m.dm());
    if (!Conditions.isTrue(status.conditions, DockerConditions.BOOTSTRAP_EXEC_SUCCEEDED)) {
      events.normal(m.dm(), "BootstrapSucceeded", "Bootstrapped container " + node.name());
    }
    Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.BOOTSTRAP_EXEC_SUCCEEDED, DockerConditions.SUCCEEDED_REASON, gen));
    status.addresses = addresses(runtime.find(node.name()).orElse(node));

    // the Node's providerID links it to this Machine; nodes of clusters with a control plane wait for it to be up
    if (m.cluster().getSpec().controlPlaneRef != null && m.cluster().getSpec().controlPlaneRef.isDefined()
        && !ClusterReadiness.controlPlaneInitialized(m.cluster())) {
      return WAIT;
    }
    if (!setNodeProviderId(m)) return WAIT;
    setProviderId(m);
    markProvisioned(m);
    return null;
  }

  private ContainerInfo createContainer(MachineContext m) {
    String customImage = m.dm().getSpec() == null ? null : m.dm().getSpec().customImage;
    String image = NodeImage.forMachine(customImage, m.machine().getSpec().version);
    if (!runtime.imagePresent(image)) {
      try {
        runtime.pull(image);
      } catch (RuntimeException e) {
        String from = customImage != null && !customImage.isEmpty() ? "spec.customImage"
            : "the node image of Machine spec.version " + m.machine().getSpec().version;
        throw new PhaseFailure(DockerConditions.CONTAINER_PROVISIONED, Conditions.FALSE, DockerConditions.NOT_PROVISIONED_REASON, "Image " + image
            + " (" + from + ") is not on the container engine and could not be pulled: " + FailureMessage.of(e), e);
      }
    }
    try {
      runtime.ensureNetwork(Labels.NETWORK);
      LOG.info("{}: creating container {} from {}", name(m.dm()), m.containerName(), image);
      ContainerInfo created = runtime.run(NodeContainer.spec(m.clusterName(), m.machine().getMetadata().getName(),
          image, m.controlPlane(), m.machine().getSpec().failureDomain,
          m.dm().getSpec() == null ? null : m.dm().getSpec().extraMounts, security));
      events.normal(m.dm(), "ContainerCreated", "Created container " + created.name() + " from " + image);
      return created;
    } catch (RuntimeException e) {
      throw PhaseFailure.of(DockerConditions.CONTAINER_PROVISIONED, DockerConditions.NOT_PROVISIONED_REASON,
          "create container " + m.containerName() + " from " + image, e);
    }
  }

  private void configureLoadBalancer(MachineContext m) {
    try {
      loadBalancers.reconcile(m.dockerCluster(), m.clusterName());
    } catch (RuntimeException e) {
      throw PhaseFailure.of(Contract.Condition.READY, Contract.Condition.INTERNAL_ERROR_REASON,
          "configure load balancer " + new LoadBalancer(runtime, m.clusterName()).containerName(), e);
    }
  }

  private BootstrapRunner.Outcome bootstrap(MachineContext m, ContainerInfo node, String dataSecretName) {
    if (bootstrapRunner.alreadyBootstrapped(node.name())) return new BootstrapRunner.Outcome(true, true, DockerConditions.SUCCEEDED_REASON, "");
    Secret secret = client.secrets().inNamespace(m.dm().getMetadata().getNamespace()).withName(dataSecretName).get();
    Optional<byte[]> value = ClusterSecrets.data(secret, Contract.Secret.VALUE_KEY);
    if (value.isEmpty()) {
      return new BootstrapRunner.Outcome(false, false, DockerConditions.NOT_SUCCEEDED_REASON, "bootstrap data secret " + dataSecretName
          + (secret == null ? " does not exist" : " has no key 'value'"));
    }
    String format = ClusterSecrets.data(secret, Contract.Secret.FORMAT_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("cloud-config");
    if (!format.isEmpty() && !format.equals("cloud-config")) {
      return new BootstrapRunner.Outcome(false, false, DockerConditions.NOT_SUCCEEDED_REASON, "bootstrap data format '" + format
          + "' is not supported; only cloud-config is");
    }
    List<BootstrapStep> steps;
    try {
      steps = CloudConfigCommands.parse(new String(value.get(), StandardCharsets.UTF_8), kubeadm);
    } catch (BootstrapDataException e) {
      return new BootstrapRunner.Outcome(false, false, DockerConditions.NOT_SUCCEEDED_REASON, e.getMessage());
    }
    ResourceID id = ResourceID.fromResource(m.dm());
    LOG.info("{}: bootstrapping {} ({} steps)", name(m.dm()), node.name(), steps.size());
    return bootstrapRunner.run(node.name(), steps, m.dm().getSpec().preLoadImages, bootstrapTimeout(m.dm()),
        () -> m.context().getPrimaryCache().get(id).map(d -> d.getMetadata().getDeletionTimestamp() != null).orElse(true));
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

  @Override
  protected Optional<Duration> reconcileDelete(MachineContext m) {
    DockerMachine dm = m.dm();
    String clusterName = Optional.ofNullable(m.machine()).flatMap(Owners::clusterName)
        .or(() -> Owners.clusterName(dm)).orElse(null);
    String machineName = m.machine() != null ? m.machine().getMetadata().getName() : dm.getMetadata().getName();
    if (clusterName == null) return Optional.empty();
    String container = NodeContainer.name(clusterName, machineName);
    try {
      boolean controlPlane = runtime.find(container)
          .map(c -> Labels.ROLE_CONTROL_PLANE.equals(c.labels().get(Labels.ROLE))).orElse(false);
      runtime.remove(container);
      LOG.info("{}: container {} removed", name(dm), container);
      if (controlPlane) {
        DockerCluster dockerCluster = m.cluster() == null ? null : dockerCluster(m.cluster());
        if (dockerCluster != null && new LoadBalancer(runtime, clusterName).find().isPresent()) {
          loadBalancers.reconcile(dockerCluster, clusterName);
        }
      }
    } catch (RuntimeException e) {
      throw PhaseFailure.deleting("remove container " + container, e);
    }
    return Optional.empty();
  }

  private DockerCluster dockerCluster(Cluster cluster) {
    var ref = cluster.getSpec() == null ? null : cluster.getSpec().infrastructureRef;
    if (ref == null || ref.name == null) return null;
    return client.resources(DockerCluster.class).inNamespace(cluster.getMetadata().getNamespace()).withName(ref.name)
        .get();
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

}
