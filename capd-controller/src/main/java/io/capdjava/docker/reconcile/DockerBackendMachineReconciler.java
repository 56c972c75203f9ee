package io.capdjava.docker.reconcile;

import io.capdjava.core.CachedReads;
import io.capdjava.core.CrashPoints;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.manager.PhaseDurations;
import io.capdjava.docker.DockerConditions;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineAddress;
import io.capdjava.api.core.v1beta2.MachinePool;
import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DevMachineInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DevMachineStatus;
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
import io.capdjava.docker.kinds.ClusterSettings;
import io.capdjava.docker.kinds.InfraClusters;
import io.capdjava.docker.kinds.MachineSettings;
import io.capdjava.docker.bootstrap.BootstrapDataException;
import io.capdjava.docker.bootstrap.BootstrapRunner;
import io.capdjava.docker.bootstrap.BootstrapRunner.Stage;
import io.capdjava.docker.bootstrap.BootstrapStep;
import io.capdjava.docker.bootstrap.CloudConfigCommands;
import io.capdjava.docker.bootstrap.KubeadmInContainers;
import io.capdjava.docker.loadbalancer.LoadBalancer;
import io.capdjava.docker.loadbalancer.LoadBalancerConfiguration;
import io.capdjava.docker.machine.NodeContainer;
import io.capdjava.docker.machine.NodeImage;
import io.capdjava.docker.pool.PoolContract;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.HostLimits;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
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
 * The docker backend of a machine, for both kinds that ask for it: DockerMachine and a DevMachine with
 * {@code spec.backend.docker} (one implementation; the subclasses say how their kind carries the settings). One node
 * container per Machine, bootstrapped with the Machine's bootstrap data. Phases: observe (owner Machine, Cluster, the
 * Cluster's DockerCluster or DevCluster, pausing, deletion, an existing container), wait for what upstream waits for,
 * create the container, configure the load balancer for control-plane nodes, bootstrap (systemd, pre-loaded images,
 * the bootstrap commands, each with its condition), set the provider ID on the machine and its Node, record status.
 *
 * @param <M> the machine kind
 * @param <T> its status type
 */
public abstract class DockerBackendMachineReconciler<M extends CustomResource<?, T>, T extends DevMachineStatus>
    extends ProviderReconciler<M, DockerBackendMachineReconciler.MachineContext<M>> {
  static final Duration DEFAULT_BOOTSTRAP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration BOOTSTRAP_IN_PROGRESS_WAIT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(DockerBackendMachineReconciler.class);

  private final SharedInformers informers;
  private final ContainerRuntime runtime;
  private final SecurityProfile security;
  private final HostLimits hostLimits;
  private final WorkloadClusterClients workloadClusters;
  private final BootstrapRunner bootstrapRunner;
  private final LoadBalancerConfiguration loadBalancers;
  private final KubeadmInContainers kubeadm;
  private final BootstrapRetries retries = new BootstrapRetries();

  protected DockerBackendMachineReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, HostLimits hostLimits, WorkloadClusterClients workloadClusters, EventRecorder events) {
    super(client, events);
    this.informers = informers;
    this.hostLimits = hostLimits;
    this.runtime = runtime;
    this.security = security;
    this.workloadClusters = workloadClusters;
    this.bootstrapRunner = new BootstrapRunner(runtime);
    this.loadBalancers = new LoadBalancerConfiguration(client, runtime);
    this.kubeadm = new KubeadmInContainers();
  }

  /** The kind reconciled, as Machines' {@code spec.infrastructureRef.kind} names it. */
  protected abstract Class<M> type();

  protected abstract T newStatus();

  /** The docker backend settings of the object; null when it asks for another backend. */
  protected abstract MachineSettings settings(M machine);

  @Override
  public List<EventSource<?, M>> prepareEventSources(EventSourceContext<M> context) {
    String kind = HasMetadata.getKind(type());
    var machines = informers.<Machine, M>eventSource("machines", Machine.class,
        m -> m.getSpec() == null || m.getSpec().infrastructureRef == null
            || !kind.equals(m.getSpec().infrastructureRef.kind)
            ? Set.of()
            : Set.of(new ResourceID(m.getSpec().infrastructureRef.name, m.getMetadata().getNamespace())));
    // the Cluster's infrastructure and control plane becoming ready move every machine of the cluster on
    var clusters = informers.<Cluster, M>eventSource("clusters", Cluster.class, c -> context.getPrimaryCache()
        .list(c.getMetadata().getNamespace(), dm -> c.getMetadata().getName().equals(
            Owners.clusterName(dm).orElse(null)))
        .map(ResourceID::fromResource).collect(Collectors.toSet()));
    // a node container that stops or vanishes is reported at once, not when something else wakes its machine
    var nodes = new ContainerEventSource<M>(runtime, event -> {
      String cluster = event.labels().get(Labels.CLUSTER);
      if (!event.stoppedRunning() || Labels.ROLE_LOAD_BALANCER.equals(event.labels().get(Labels.ROLE))) return Set.of();
      return context.getPrimaryCache().list(dm -> cluster.equals(Owners.clusterName(dm).orElse(null))
              && (event.name().equals(NodeContainer.name(cluster, dm.getMetadata().getName()))
                  || Owners.ownerReference(dm, "Machine")
                      .map(machine -> event.name().equals(NodeContainer.name(cluster, machine.getName())))
                      .orElse(false)))
          .map(ResourceID::fromResource).collect(Collectors.toSet());
    });
    // read on every reconcile (the load balancer's image, the cluster's settings); a cache only, no events
    var dockerClusters = informers.<DockerCluster, M>eventSource("dockerclusters", DockerCluster.class, c -> Set.of());
    var devClusters = informers.<DevCluster, M>eventSource("devclusters", DevCluster.class, c -> Set.of());
    return List.of(machines, clusters, nodes, dockerClusters, devClusters);
  }

  /**
   * Everything a machine's provisioning reads, found once per reconcile (Machine, Cluster and the infrastructure
   * cluster's settings may be null while deleting; the machine's settings are null when it asks for another backend).
   */
  record MachineContext<M extends CustomResource<?, ? extends DevMachineStatus>>(M dm, MachineSettings settings,
      Machine machine, Cluster cluster, ClusterSettings infraCluster, MachinePool pool, Context<M> context) {
    DevMachineStatus status() {
      return dm.getStatus();
    }

    String clusterName() {
      return cluster.getMetadata().getName();
    }

    /**
     * The node container: named after the Machine, or for a MachinePool instance after the infrastructure machine
     * (the pool made the container first, then the machine of that name; CAPI core names the Machine after it).
     */
    String containerName() {
      return NodeContainer.name(clusterName(), pool != null ? dm.getMetadata().getName() : machine.getMetadata().getName());
    }

    boolean controlPlane() {
      return pool == null && machine.getMetadata().getLabels() != null
          && machine.getMetadata().getLabels().containsKey(Contract.Label.CONTROL_PLANE);
    }

    /** The bootstrap data secret: the Machine's, or for a pool instance the MachinePool's (its Machine has none). */
    String dataSecretName() {
      var bootstrap = pool != null
          ? (pool.getSpec().template == null || pool.getSpec().template.spec == null ? null
              : pool.getSpec().template.spec.bootstrap)
          : machine.getSpec().bootstrap;
      return bootstrap == null ? null : bootstrap.dataSecretName;
    }

    /** The Kubernetes version: the Machine's, or the MachinePool's for a pool instance. */
    String version() {
      return pool != null ? (pool.getSpec().template == null || pool.getSpec().template.spec == null ? null
          : pool.getSpec().template.spec.version) : machine.getSpec().version;
    }

    Long generation() {
      return dm.getMetadata().getGeneration();
    }
  }

  @Override
  protected Observation<MachineContext<M>> observe(M dm, Context<M> context) {
    String namespace = dm.getMetadata().getNamespace();
    // the Machine and Cluster informers that wake this controller hold both: no GET per reconcile
    Optional<Machine> machine = Owners.ownerReference(dm, "Machine")
        .flatMap(r -> CachedReads.get(context, client, Machine.class, namespace, r.getName()));
    MachineSettings settings = settings(dm);
    if (dm.isMarkedForDeletion()) {
      Optional<Cluster> cluster = machine.map(m -> m.getSpec() == null ? null : m.getSpec().clusterName).or(() -> Owners.clusterName(dm))
          .flatMap(n -> CachedReads.get(context, client, Cluster.class, namespace, n));
      return Observation.found(new MachineContext<>(dm, settings, machine.orElse(null), cluster.orElse(null), null,
          poolOf(dm).orElse(null), context), cluster.orElse(null));
    }
    if (machine.isEmpty()) return Observation.waitingFor("the Machine controller to set the owner reference");
    Optional<Cluster> cluster = Optional.ofNullable(machine.get().getSpec()).map(spec -> spec.clusterName)
        .flatMap(n -> CachedReads.get(context, client, Cluster.class, namespace, n));
    if (cluster.isEmpty()) return Observation.waitingFor("the Machine's Cluster");
    if (settings == null) {
      // another backend: nothing to look up; validate says so
      return Observation.found(new MachineContext<>(dm, null, machine.get(), cluster.get(), null, null, context),
          cluster.get());
    }
    Optional<ClusterSettings> infraCluster = InfraClusters.settings(context, client, cluster.get());
    if (infraCluster.isEmpty()) return Observation.waitingFor("the Cluster's DockerCluster or DevCluster (docker backend)");
    Optional<MachinePool> pool = poolOf(dm);
    if (poolInstance(dm) && pool.isEmpty()) return Observation.waitingFor("the instance's MachinePool");
    return Observation.found(new MachineContext<>(dm, settings, machine.get(), cluster.get(), infraCluster.get(),
        pool.orElse(null), context), cluster.get());
  }

  private static boolean poolInstance(HasMetadata dm) {
    return dm.getMetadata().getLabels() != null
        && dm.getMetadata().getLabels().containsKey(PoolContract.POOL_NAME_LABEL);
  }

  /** The MachinePool of a pool instance (named by upstream's label); empty for other machines. */
  private Optional<MachinePool> poolOf(HasMetadata dm) {
    if (!poolInstance(dm)) return Optional.empty();
    return Optional.ofNullable(client.resources(MachinePool.class).inNamespace(dm.getMetadata().getNamespace())
        .withName(dm.getMetadata().getLabels().get(PoolContract.POOL_NAME_LABEL)).get());
  }

  @Override
  protected String finalizer() {
    return Contract.Finalizer.DOCKER_MACHINE;
  }

  @Override
  protected List<Condition> conditions(M dm) {
    if (dm.getStatus() == null) dm.setStatus(newStatus());
    if (dm.getStatus().conditions == null) dm.getStatus().conditions = new ArrayList<>();
    return dm.getStatus().conditions;
  }

  @Override
  protected String[] readySummarises() {
    // upstream's order
    return new String[] {DockerConditions.CGROUPS_READY, DockerConditions.CONTAINER_PROVISIONED,
        DockerConditions.PRELOADED_IMAGES_READY, DockerConditions.BOOTSTRAP_COMPLETED};
  }

  @Override
  protected void validate(MachineContext<M> m) {
    if (m.settings() == null) {
      throw new PhaseFailure(Contract.Condition.READY, Conditions.FALSE, DockerConditions.BACKEND_NOT_SUPPORTED_REASON,
          otherBackend(m.dm()), null);
    }
    bootstrapTimeout(m.settings());
  }

  /** Why an object without docker settings is not served, naming the field. */
  protected String otherBackend(M machine) {
    return "spec.backend.docker is not set: this provider runs the docker backend only";
  }

  @Override
  protected Optional<Duration> reconcileNormal(MachineContext<M> m) {
    return Optional.ofNullable(provision(m));
  }

  @Override
  protected void forget(M dm) {
    retries.succeeded(dm);
  }

  /** Provisions the machine; returns when to look again, or null when only events should wake it. */
  private Duration provision(MachineContext<M> m) {
    DevMachineStatus status = m.status();
    Long gen = m.generation();
    Optional<ContainerInfo> container = runtime.find(m.containerName());

    if (m.settings().provisionedBefore()) {
      // provisioned before (possibly by another provider instance, or before a move): report, never re-create
      markProvisioned(m);
      if (container.isPresent()) {
        Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.CONTAINER_PROVISIONED,
            DockerConditions.PROVISIONED_REASON, gen));
        status.addresses = addresses(container.get());
        // as upstream: a provisioned machine's bootstrap is not looked at again (nor after a move or restore)
        for (String type : List.of(DockerConditions.CGROUPS_READY, DockerConditions.PRELOADED_IMAGES_READY)) {
          if (!Conditions.isTrue(status.conditions, type)) {
            Conditions.set(status.conditions, Conditions.isTrue(type, DockerConditions.READY_REASON, gen));
          }
        }
        if (!Conditions.isTrue(status.conditions, DockerConditions.BOOTSTRAP_COMPLETED)) {
          Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.BOOTSTRAP_COMPLETED,
              DockerConditions.COMPLETED_REASON, gen));
        }
        if (m.controlPlane()) configureLoadBalancer(m);
      } else {
        Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED,
            DockerConditions.NOT_PROVISIONED_REASON, "Container " + m.containerName() + " does not exist anymore", gen));
      }
      return null;
    }

    if (!ClusterReadiness.infrastructureProvisioned(m.cluster())) {
      waitingForContainer(m, DockerConditions.WAITING_FOR_CLUSTER_INFRASTRUCTURE_REASON,
          "Waiting for Cluster status.initialization.infrastructureProvisioned");
      return null;
    }
    String dataSecretName = m.dataSecretName();
    if (dataSecretName == null || dataSecretName.isEmpty()) {
      if (!m.controlPlane() && !ClusterReadiness.controlPlaneInitialized(m.cluster())) {
        waitingForContainer(m, DockerConditions.WAITING_FOR_CONTROL_PLANE_INITIALIZED_REASON,
            "Waiting for the control plane to be initialized");
      } else {
        waitingForContainer(m, DockerConditions.WAITING_FOR_BOOTSTRAP_DATA_REASON,
            "Waiting for Machine spec.bootstrap.dataSecretName");
      }
      return null;
    }

    if (m.pool() != null && container.filter(ContainerInfo::running).isEmpty()) {
      // a pool instance's container is the pool's to make; without it the pool replaces the instance
      Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED,
          DockerConditions.NOT_PROVISIONED_REASON, "Container " + m.containerName() + " of the MachinePool instance"
              + (container.isPresent() ? " is not running" : " does not exist"), gen));
      return null;
    }
    ContainerInfo node = container.filter(ContainerInfo::running).orElseGet(() -> {
      // a container that stopped before it was ever provisioned is replaced
      container.ifPresent(c -> NodeContainer.remove(runtime, c.name()));
      return createContainer(m);
    });
    Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.CONTAINER_PROVISIONED,
        DockerConditions.PROVISIONED_REASON, gen));
    if (m.controlPlane()) configureLoadBalancer(m);

    Duration wait = retries.waitBeforeNextAttempt(m.dm());
    if (!wait.isZero()) return wait;
    long bootstrapStart = System.nanoTime();
    BootstrapRunner.Outcome outcome = bootstrap(m, node, dataSecretName);
    recordBootstrap(status.conditions, outcome, gen);
    if (!outcome.succeeded()) {
      if (outcome.cancelled()) return null;
      // another run bootstraps this node (a provider that restarted meanwhile left it running): look again soon
      if (outcome.inProgress()) return BOOTSTRAP_IN_PROGRESS_WAIT;
      events.warning(m.dm(), "BootstrapFailed", outcome.message());
      return retries.failed(m.dm());
    }
    retries.succeeded(m.dm());
    if (!outcome.alreadyDone()) {
      CrashPoints.reach("docker/node-bootstrapped");
      PhaseDurations.observe("node_bootstrap_run", Duration.ofNanos(System.nanoTime() - bootstrapStart));
      PhaseDurations.sinceCreation("node_bootstrapped", m.dm());
    }
    if (!outcome.alreadyDone()) events.normal(m.dm(), "BootstrapSucceeded", "Bootstrapped container " + node.name());
    // as the container was found or started this reconcile (no second inspect); later reconciles report them afresh
    status.addresses = addresses(node);

    // the Node's providerID links it to this Machine; nodes of clusters with a control plane wait for it to be up
    if (m.cluster().getSpec().controlPlaneRef != null && m.cluster().getSpec().controlPlaneRef.isDefined()
        && !ClusterReadiness.controlPlaneInitialized(m.cluster())) {
      return WAIT;
    }
    if (!setNodeProviderId(m)) return WAIT;
    CrashPoints.reach("docker/node-provider-id-set");
    PhaseDurations.sinceCreation("node_provider_id_set", m.dm());
    setProviderId(m);
    markProvisioned(m);
    return null;
  }

  /** No container yet: its condition says why, and the stages after it wait for it. */
  private static void waitingForContainer(MachineContext<?> m, String reason, String message) {
    List<Condition> conditions = m.status().conditions;
    Long gen = m.generation();
    Conditions.set(conditions, Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED, reason, message, gen));
    for (String type : List.of(DockerConditions.CGROUPS_READY, DockerConditions.PRELOADED_IMAGES_READY,
        DockerConditions.BOOTSTRAP_COMPLETED)) {
      Conditions.set(conditions, Conditions.isFalse(type, DockerConditions.WAITING_FOR_CONTAINER_REASON, "", gen));
    }
  }

  /**
   * The bootstrap's three conditions, as upstream reports them: each stage before the one that failed is done, the
   * failed one says why, the ones after it wait for it.
   */
  static void recordBootstrap(List<Condition> conditions, BootstrapRunner.Outcome outcome, Long gen) {
    Stage failed = outcome.failedStage();
    Conditions.set(conditions, outcome.passed(Stage.CGROUPS)
        ? Conditions.isTrue(DockerConditions.CGROUPS_READY, DockerConditions.READY_REASON, gen)
        : Conditions.isFalse(DockerConditions.CGROUPS_READY, outcome.reason(), outcome.message(), gen));
    Conditions.set(conditions, outcome.passed(Stage.PRELOAD_IMAGES)
        ? Conditions.isTrue(DockerConditions.PRELOADED_IMAGES_READY, DockerConditions.READY_REASON, gen)
        : failed == Stage.PRELOAD_IMAGES
            ? Conditions.isFalse(DockerConditions.PRELOADED_IMAGES_READY, outcome.reason(), outcome.message(), gen)
            : Conditions.isFalse(DockerConditions.PRELOADED_IMAGES_READY, DockerConditions.WAITING_FOR_CGROUPS_REASON,
                "", gen));
    Conditions.set(conditions, outcome.succeeded()
        ? Conditions.isTrue(DockerConditions.BOOTSTRAP_COMPLETED, DockerConditions.COMPLETED_REASON, gen)
        : failed == Stage.COMMANDS
            ? Conditions.isFalse(DockerConditions.BOOTSTRAP_COMPLETED, outcome.reason(), outcome.message(), gen)
            : Conditions.isFalse(DockerConditions.BOOTSTRAP_COMPLETED, failed == Stage.CGROUPS
                ? DockerConditions.WAITING_FOR_CGROUPS_REASON : DockerConditions.WAITING_FOR_PRELOADED_IMAGES_REASON,
                "", gen));
  }

  private ContainerInfo createContainer(MachineContext<M> m) {
    String customImage = m.settings().customImage();
    String image = NodeImage.forMachine(customImage, m.version());
    if (!runtime.imagePresent(image)) {
      try {
        runtime.pull(image);
      } catch (RuntimeException e) {
        boolean custom = customImage != null && !customImage.isEmpty();
        String from = custom ? m.settings().field("customImage")
            : "the node image of Machine spec.version " + m.version();
        throw new PhaseFailure(DockerConditions.CONTAINER_PROVISIONED, Conditions.FALSE,
            DockerConditions.NODE_IMAGE_UNAVAILABLE_REASON,
            NodeImage.unavailableMessage(image, from, custom, FailureMessage.of(e)), e);
      }
    }
    hostLimits.shortfallForOneMoreNode().ifPresent(shortfall -> {
      throw new PhaseFailure(DockerConditions.CONTAINER_PROVISIONED, Conditions.FALSE,
          DockerConditions.NOT_PROVISIONED_REASON, "Container " + m.containerName() + " not created: " + shortfall, null);
    });
    try {
      runtime.ensureNetwork(Labels.NETWORK);
      LOG.info("{}: creating container {} from {}", name(m.dm()), m.containerName(), image);
      ContainerInfo created = runtime.run(NodeContainer.spec(m.clusterName(), m.machine().getMetadata().getName(),
          image, m.controlPlane(), m.machine().getSpec().failureDomain, m.settings().extraMounts(), security));
      CrashPoints.reach("docker/node-container-created");
      PhaseDurations.sinceCreation("node_container_created", m.dm());
      events.normal(m.dm(), "ContainerCreated", "Created container " + created.name() + " from " + image);
      return created;
    } catch (RuntimeException e) {
      throw PhaseFailure.of(DockerConditions.CONTAINER_PROVISIONED, DockerConditions.NOT_PROVISIONED_REASON,
          "create container " + m.containerName() + " from " + image, e);
    }
  }

  private void configureLoadBalancer(MachineContext<M> m) {
    try {
      loadBalancers.reconcile(m.infraCluster(), m.clusterName());
    } catch (RuntimeException e) {
      throw PhaseFailure.of(Contract.Condition.READY, Contract.Condition.INTERNAL_ERROR_REASON,
          "configure load balancer " + new LoadBalancer(runtime, m.clusterName()).containerName(), e);
    }
  }

  private BootstrapRunner.Outcome bootstrap(MachineContext<M> m, ContainerInfo node, String dataSecretName) {
    if (bootstrapRunner.alreadyBootstrapped(node.name())) {
      return new BootstrapRunner.Outcome(true, true, null, DockerConditions.COMPLETED_REASON, "", false, false);
    }
    Secret secret = client.secrets().inNamespace(m.dm().getMetadata().getNamespace()).withName(dataSecretName).get();
    Optional<byte[]> value = ClusterSecrets.data(secret, Contract.Secret.VALUE_KEY);
    if (value.isEmpty()) {
      return BootstrapRunner.Outcome.failure(Stage.COMMANDS, Contract.Condition.INTERNAL_ERROR_REASON,
          "bootstrap data secret " + dataSecretName + (secret == null ? " does not exist" : " has no key 'value'"));
    }
    String format = ClusterSecrets.data(secret, Contract.Secret.FORMAT_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("cloud-config");
    if (!format.isEmpty() && !format.equals("cloud-config")) {
      return BootstrapRunner.Outcome.failure(Stage.COMMANDS, Contract.Condition.INTERNAL_ERROR_REASON,
          "bootstrap data format '" + format + "' is not supported; only cloud-config is");
    }
    List<BootstrapStep> steps;
    try {
      steps = CloudConfigCommands.parse(new String(value.get(), StandardCharsets.UTF_8), kubeadm);
    } catch (BootstrapDataException e) {
      return BootstrapRunner.Outcome.failure(Stage.COMMANDS, Contract.Condition.INTERNAL_ERROR_REASON,
          e.getMessage());
    }
    ResourceID id = ResourceID.fromResource(m.dm());
    LOG.info("{}: bootstrapping {} ({} steps)", name(m.dm()), node.name(), steps.size());
    return bootstrapRunner.run(node.name(), steps, m.settings().preLoadImages(), bootstrapTimeout(m.settings()),
        () -> m.context().getPrimaryCache().get(id).map(d -> d.getMetadata().getDeletionTimestamp() != null).orElse(true));
  }

  private boolean setNodeProviderId(MachineContext<M> m) {
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

  /** spec.providerID sits at the same path in both kinds. */
  private void setProviderId(MachineContext<M> m) {
    M patched = client.resources(type()).inNamespace(m.dm().getMetadata().getNamespace())
        .withName(m.dm().getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"providerID\":\"" + providerId(m) + "\"}}");
    m.dm().getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    m.dm().getMetadata().setGeneration(patched.getMetadata().getGeneration());
  }

  private static String providerId(MachineContext<?> m) {
    return "docker:////" + m.containerName();
  }

  private static void markProvisioned(MachineContext<?> m) {
    DevMachineStatus status = m.status();
    status.initialization = new DevMachineInitializationStatus();
    status.initialization.provisioned = true;
    status.failureDomain = m.machine().getSpec().failureDomain;
  }

  @Override
  protected Optional<Duration> reconcileDelete(MachineContext<M> m) {
    M dm = m.dm();
    String clusterName = Optional.ofNullable(m.machine()).flatMap(Owners::clusterName)
        .or(() -> Owners.clusterName(dm)).orElse(null);
    String machineName = m.machine() != null && !poolInstance(dm) ? m.machine().getMetadata().getName()
        : dm.getMetadata().getName();
    // as upstream: the container condition says the machine is going
    Conditions.set(conditions(dm), Conditions.isFalse(DockerConditions.CONTAINER_PROVISIONED,
        Contract.Condition.DELETING_REASON, "", dm.getMetadata().getGeneration()));
    if (clusterName == null) return Optional.empty();
    // the container's name is ours whichever backend the object asks for now: remove it in any case
    String container = NodeContainer.name(clusterName, machineName);
    try {
      boolean controlPlane = runtime.find(container)
          .map(c -> Labels.ROLE_CONTROL_PLANE.equals(c.labels().get(Labels.ROLE))).orElse(false);
      NodeContainer.remove(runtime, container);
      CrashPoints.reach("docker/node-container-removed");
      LOG.info("{}: container {} removed", name(dm), container);
      if (controlPlane && m.cluster() != null) {
        Optional<ClusterSettings> infraCluster = InfraClusters.settings(client, m.cluster());
        if (infraCluster.isPresent() && new LoadBalancer(runtime, clusterName).find().isPresent()) {
          loadBalancers.reconcile(infraCluster.get(), clusterName);
        }
      }
    } catch (RuntimeException e) {
      throw PhaseFailure.deleting("remove container " + container, e);
    }
    return Optional.empty();
  }

  private static Duration bootstrapTimeout(MachineSettings settings) {
    String value = settings.bootstrapTimeout();
    if (value == null || value.isEmpty()) return DEFAULT_BOOTSTRAP_TIMEOUT;
    try {
      return GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new PhaseFailure(Contract.Condition.READY, Conditions.FALSE, Contract.Condition.INTERNAL_ERROR_REASON,
          settings.field("bootstrapTimeout") + ": " + e.getMessage(), null);
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
