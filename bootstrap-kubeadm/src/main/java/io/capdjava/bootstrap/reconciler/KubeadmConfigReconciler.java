package io.capdjava.bootstrap.reconciler;

import io.capdjava.core.CrashPoints;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.manager.PhaseDurations;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigStatus;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.reconcile.FailureMessage;
import io.capdjava.core.reconcile.ProviderReconciler;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachinePool;
import io.capdjava.bootstrap.kubeadm.KubeadmApiVersion;
import io.capdjava.core.KubernetesVersion;
import io.capdjava.core.ClusterReadiness;
import io.capdjava.core.Contract;
import io.capdjava.core.Owners;
import io.capdjava.core.WorkloadClusterClients;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KubeadmConfig: the kubeadm configuration of a Machine or a MachinePool turned into its bootstrap data secret
 * (upstream CABPK's {@code KubeadmConfigReconciler}). Phases: observe (owner Machine or MachinePool, its Cluster,
 * pausing), keep an existing data secret owned, wait for the infrastructure, rebuild status after a move, keep the
 * join token usable ({@link JoinTokenUpkeep}: refreshed until the Nodes join, and for a MachinePool rotated for as
 * long as it exists), validate, then generate for the first control plane (under the init lock), a joining control
 * plane or a worker (a MachinePool is always one), store the secret and record status. KubeadmConfig has no
 * finalizer (as upstream), so deletion needs nothing.
 */
// every event counts: owner references, labels and the paused annotation change without a new generation
@ControllerConfiguration(name = KubeadmConfigReconciler.NAME, generationAwareEventProcessing = false)
public final class KubeadmConfigReconciler
    extends ProviderReconciler<KubeadmConfig, KubeadmConfigReconciler.Scope> {
  public static final String NAME = "kubeadmconfig";
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(15);
  static final Duration WAIT_FOR_CONTROL_PLANE = Duration.ofSeconds(30);
  static final Duration WAIT_FOR_ENDPOINT = Duration.ofSeconds(10);
  private static final Duration TOKEN_RETRY = Duration.ofSeconds(30);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
  private static final Duration MAX_RETRY = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(KubeadmConfigReconciler.class);

  private final SharedInformers informers;
  private final WorkloadClusterClients workloads;
  private final Duration tokenTtl;
  private final Clock clock;
  private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

  public KubeadmConfigReconciler(KubernetesClient client, SharedInformers informers, WorkloadClusterClients workloads,
      Duration tokenTtl, EventRecorder events) {
    this(client, informers, workloads, tokenTtl, events, Clock.systemUTC());
  }

  KubeadmConfigReconciler(KubernetesClient client, SharedInformers informers, WorkloadClusterClients workloads,
      Duration tokenTtl, EventRecorder events, Clock clock) {
    super(client, events);
    this.informers = informers;
    this.workloads = workloads;
    this.tokenTtl = tokenTtl;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, KubeadmConfig>> prepareEventSources(EventSourceContext<KubeadmConfig> context) {
    var machines = informers.<Machine, KubeadmConfig>eventSource("machines", Machine.class,
        KubeadmConfigReconciler::configOf);
    // a MachinePool setting the owner reference, changing replicas or gaining nodeRefs moves its KubeadmConfig on
    var machinePools = informers.<MachinePool, KubeadmConfig>eventSource("machinepools", MachinePool.class,
        KubeadmConfigReconciler::configOf);
    // a Cluster being provisioned, initialized, paused or unpaused moves all its KubeadmConfigs on
    var clusters = informers.<Cluster, KubeadmConfig>eventSource("clusters", Cluster.class, c -> Stream.concat(
            machines.list(c.getMetadata().getNamespace(), m -> m.getSpec() != null
                    && c.getMetadata().getName().equals(m.getSpec().clusterName))
                .flatMap(m -> configOf(m).stream()),
            machinePools.list(c.getMetadata().getNamespace(), p -> p.getSpec() != null
                    && c.getMetadata().getName().equals(p.getSpec().clusterName))
                .flatMap(p -> configOf(p).stream()))
        .collect(Collectors.toSet()));
    clusters.setOnUpdateFilter((now, before) -> !Objects.equals(relevant(now), relevant(before)));
    return List.of(machines, machinePools, clusters);
  }

  /** A KubeadmConfig with its owner (Machine or MachinePool) and Cluster. */
  record Scope(KubeadmConfig config, ConfigOwner owner, Cluster cluster) {}

  @Override
  protected Observation<Scope> observe(KubeadmConfig config, Context<KubeadmConfig> context) {
    // no finalizer (as upstream): nothing to clean up, and the owners may already be gone
    if (config.isMarkedForDeletion()) return Observation.waitingFor("nothing: a deleted KubeadmConfig needs no clean-up");
    Optional<ConfigOwner> owner = owner(config);
    if (owner.isEmpty()) return Observation.waitingFor("CAPI core to set the owner reference (Machine or MachinePool)");
    Optional<Cluster> cluster = Owners.cluster(client, config.getMetadata().getNamespace(), owner.get().clusterName());
    if (cluster.isEmpty()) return Observation.waitingFor("Cluster " + owner.get().clusterName() + " to be created");
    return Observation.found(new Scope(config, owner.get(), cluster.get()), cluster.get());
  }

  @Override
  protected String finalizer() {
    return null;
  }

  @Override
  protected List<Condition> conditions(KubeadmConfig config) {
    if (config.getStatus() == null) config.setStatus(new KubeadmConfigStatus());
    if (config.getStatus().conditions == null) config.getStatus().conditions = new ArrayList<>();
    return config.getStatus().conditions;
  }

  @Override
  protected String[] readySummarises() {
    return new String[] {Contract.Bootstrap.DATA_SECRET_AVAILABLE, Contract.Bootstrap.CERTIFICATES_AVAILABLE};
  }

  @Override
  protected Optional<Duration> reconcileDelete(Scope scope) {
    return Optional.empty();
  }

  @Override
  protected void forget(KubeadmConfig config) {
    failures.remove(ResourceID.fromResource(config));
  }

  @Override
  protected Optional<Duration> reconcileNormal(Scope scope) {
    KubeadmConfig config = scope.config();
    StatusRecorder status = new StatusRecorder(config);
    ResourceID id = ResourceID.fromResource(config);
    Duration requeue;
    boolean succeeded;
    try {
      requeue = reconcile(config, scope.owner(), scope.cluster(), status);
      succeeded = true;
      failures.remove(id);
    } catch (InvalidSpecException | KubeadmApiVersion.UnsupportedKubernetesVersionException e) {
      LOG.warn("{}: {}", name(config), e.getMessage());
      status.dataSecretNotAvailable(Contract.Bootstrap.INVALID_SPEC_REASON, e.getMessage());
      events.warning(config, Contract.Bootstrap.INVALID_SPEC_REASON, e.getMessage());
      requeue = null; // a change to the KubeadmConfig or its Machine brings the next attempt
      succeeded = false;
    } catch (MissingInputException e) {
      LOG.info("{}: {}", name(config), e.getMessage());
      if (Contract.Bootstrap.CERTIFICATES_AVAILABLE.equals(e.condition())) {
        status.certificatesNotAvailable(e.getMessage());
      } else {
        status.dataSecretNotAvailable(Contract.Bootstrap.NOT_AVAILABLE_REASON, e.getMessage());
      }
      requeue = backoff(id);
      succeeded = false;
    } catch (KubernetesClientException e) {
      LOG.warn("{}: API request failed, retrying: {}", name(config), FailureMessage.of(e));
      requeue = backoff(id);
      succeeded = false;
    }
    status.finish(succeeded);
    return Optional.ofNullable(requeue);
  }

  /** The phases; returns when to look again (null: when something changes). */
  private Duration reconcile(KubeadmConfig config, ConfigOwner owner, Cluster cluster, StatusRecorder status) {
    // every field of the spec is optional upstream, the spec itself too: upstream's e2e templates give workers a
    // KubeadmConfigTemplate with no spec, and CABPK joins them with defaults
    if (config.getSpec() == null) config.setSpec(new KubeadmConfigSpec());
    BootstrapDataSecret dataSecret = new BootstrapDataSecret(client);
    dataSecret.ensureOwned(config);

    if (!ClusterReadiness.infrastructureProvisioned(cluster)) {
      status.dataSecretNotAvailable(Contract.Bootstrap.NOT_AVAILABLE_REASON,
          "Waiting for Cluster status.initialization.infrastructureProvisioned to be true");
      return null;
    }
    // after a move (or a restore) the status is gone but the Machine still names the secret
    if (owner.dataSecretName() != null && (!status.dataSecretCreated() || empty(status.status().dataSecretName))) {
      status.dataSecretCreated(owner.dataSecretName());
      status.certificatesAvailable();
      return null;
    }
    if (status.dataSecretCreated()) {
      status.dataSecretCreated(status.status().dataSecretName);
      status.certificatesAvailable();
      return keepJoinTokenUsable(config, owner, cluster, status, dataSecret);
    }

    validate(config, owner);
    BootstrapDataGeneration generation = new BootstrapDataGeneration(client, joinDiscovery());
    ControlPlaneInitLock lock = new ControlPlaneInitLock(client);
    if (!ClusterReadiness.controlPlaneInitialized(cluster)) {
      status.waitingForControlPlane();
      // only a Machine is ever a control plane; MachinePools are workers
      if (!(owner instanceof ConfigOwner.OfMachine m) || !m.isControlPlane()) return WAIT_FOR_CONTROL_PLANE;
      if (!lock.lock(cluster, m.machine())) return WAIT_FOR_CONTROL_PLANE;
      LOG.info("{}: creating bootstrap data for the first control plane machine {}", name(config), owner.name());
      try {
        store(config, cluster, status, dataSecret, generation.init(config, owner, cluster, status), "init",
            "BootstrapDataCreated", "Created bootstrap data secret " + config.getMetadata().getName());
      } catch (RuntimeException e) {
        lock.unlock(cluster);
        throw e;
      }
      return null;
    }

    lock.unlock(cluster);
    BootstrapDataGeneration.Result result = owner.isControlPlane()
        ? generation.joinControlPlane(config, owner, cluster, status)
        : generation.joinWorker(config, owner, cluster, status);
    if (result == null) return WAIT_FOR_ENDPOINT;
    LOG.info("{}: created bootstrap data for {} {} {}", name(config),
        owner.isControlPlane() ? "joining control plane" : "worker", owner.kind(), owner.name());
    store(config, cluster, status, dataSecret, result, owner.isControlPlane() ? "control-plane-join" : "worker-join",
        "BootstrapDataCreated", "Created bootstrap data secret " + config.getMetadata().getName());
    // the token is checked again while the Nodes join (JoinTokenUpkeep)
    return JoinTokenUpkeep.checkInterval(tokenTtl);
  }

  /**
   * Keeps the join token of existing data usable for as long as it is needed ({@link JoinTokenUpkeep} decides):
   * extended while Nodes join; for a MachinePool, replaced together with the data when it is gone or runs out. The
   * data stays available when the workload cluster cannot be asked; a later check tries again.
   */
  private Duration keepJoinTokenUsable(KubeadmConfig config, ConfigOwner owner, Cluster cluster, StatusRecorder status,
      BootstrapDataSecret dataSecret) {
    String token = joinToken(config);
    JoinTokenUpkeep.Stage stage = JoinTokenUpkeep.stage(owner);
    // file discovery, user-supplied data or a joined Machine: no token of ours to look after
    if (token == null || stage == JoinTokenUpkeep.Stage.JOINED) return null;
    JoinDiscovery discovery = joinDiscovery();
    JoinTokenUpkeep.Action action;
    try {
      Optional<Secret> secret = discovery.tokenSecret(cluster, token);
      Instant expiration = secret.flatMap(BootstrapTokenSecret::expiration).orElse(null);
      action = JoinTokenUpkeep.decide(stage, owner.isMachinePool(), secret.isPresent(), expiration, clock.instant(),
          tokenTtl);
      if (action == JoinTokenUpkeep.Action.EXTEND && !discovery.extendToken(cluster, secret.orElseThrow())) {
        // deleted between the read and the write: decided again as a token that is gone
        action = JoinTokenUpkeep.decide(stage, owner.isMachinePool(), false, null, clock.instant(), tokenTtl);
      } else if (action == JoinTokenUpkeep.Action.EXTEND) {
        CrashPoints.reach("KubeadmConfig/join-token-extended");
        LOG.info("{}: extended the bootstrap token until {} {} has joined", name(config), owner.kind(), owner.name());
      }
    } catch (MissingInputException | InvalidSpecException | KubernetesClientException e) {
      LOG.warn("{}: cannot check the bootstrap token: {}", name(config), e.getMessage());
      return TOKEN_RETRY;
    }
    return switch (action) {
      case NOTHING -> null;
      case CHECK_LATER, EXTEND -> JoinTokenUpkeep.checkInterval(tokenTtl);
      case ROTATE -> Objects.requireNonNullElse(rotateJoinToken(config, owner, cluster, status, dataSecret),
          JoinTokenUpkeep.checkInterval(tokenTtl));
      case MISSING -> {
        LOG.warn("{}: bootstrap token secret kube-system/{} is gone from the workload cluster before Machine {} joined;"
            + " its Node cannot join with it", name(config),
            Contract.BootstrapToken.secretName(BootstrapTokenSecret.tokenId(token)), owner.name());
        yield TOKEN_RETRY;
      }
    };
  }

  /**
   * A new token in regenerated worker join data for the pool's next instances (upstream
   * {@code recreateBootstrapToken}); the old token is left to expire, since instances may still be using it. Returns
   * when to look again if the data could not be generated yet, null when done.
   */
  private Duration rotateJoinToken(KubeadmConfig config, ConfigOwner owner, Cluster cluster, StatusRecorder status,
      BootstrapDataSecret dataSecret) {
    validate(config, owner);
    // without a token JoinDiscovery creates one and records it for the spec, as on the first generation
    config.getSpec().joinConfiguration.discovery.bootstrapToken.token = null;
    BootstrapDataGeneration.Result result = new BootstrapDataGeneration(client, joinDiscovery())
        .joinWorker(config, owner, cluster, status);
    if (result == null) return WAIT_FOR_ENDPOINT;
    LOG.info("{}: rotated the bootstrap token of {} {} and regenerated its bootstrap data", name(config), owner.kind(),
        owner.name());
    store(config, cluster, status, dataSecret, result, "pool-token-rotation", "BootstrapTokenRotated",
        "Created a new bootstrap token for " + owner.kind() + " " + owner.name() + " and updated bootstrap data secret "
            + config.getMetadata().getName());
    return null;
  }

  private void store(KubeadmConfig config, Cluster cluster, StatusRecorder status, BootstrapDataSecret dataSecret,
      BootstrapDataGeneration.Result result, String role, String eventReason, String eventMessage) {
    // what upstream writes back into the spec (token, hashes, endpoint) is saved before the data that uses it
    if (!result.specChanges().isEmpty()) {
      patchSpec(config, result.specChanges());
      CrashPoints.reach("KubeadmConfig", role + "-spec-recorded");
    }
    dataSecret.store(config, cluster.getMetadata().getName(), result.data(), Contract.Bootstrap.FORMAT_CLOUD_CONFIG);
    CrashPoints.reach("KubeadmConfig", role + "-data-secret-created");
    // a rotation's time since the config's creation says nothing about provisioning
    if (!role.equals("pool-token-rotation")) {
      PhaseDurations.sinceCreation(role.replace('-', '_') + "_bootstrap_data_created", config);
    }
    status.dataSecretCreated(config.getMetadata().getName());
    events.normal(config, eventReason, eventMessage);
  }

  private void patchSpec(KubeadmConfig config, Map<String, Object> specChanges) {
    KubeadmConfig patched = client.resources(KubeadmConfig.class).inNamespace(config.getMetadata().getNamespace())
        .withName(config.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", specChanges)));
    config.getMetadata().setGeneration(patched.getMetadata().getGeneration());
    config.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
  }

  /** What upstream's webhook or reconcile rejects, checked before anything is created. */
  private static void validate(KubeadmConfig config, ConfigOwner owner) {
    var spec = config.getSpec();
    if (Contract.Bootstrap.FORMAT_IGNITION.equals(spec.format)) {
      throw new InvalidSpecException("spec.format: ignition is not supported by this provider; use cloud-config");
    }
    if (spec.ignition != null) {
      throw new InvalidSpecException("spec.ignition: Ignition is not supported by this provider; remove it");
    }
    if (!owner.isControlPlane() && spec.joinConfiguration != null && spec.joinConfiguration.controlPlane != null) {
      throw new InvalidSpecException("spec.joinConfiguration.controlPlane: must not be set for worker " + owner.kind()
          + " " + owner.name() + (owner.isMachinePool() ? " (MachinePools are always workers)"
              : " (it has no " + Contract.Label.CONTROL_PLANE + " label)"));
    }
    String version = owner.kind() + " " + owner.name() + " " + owner.versionField() + ": ";
    try {
      KubeadmApiVersion.forKubernetes(KubernetesVersion.parse(owner.kubernetesVersion()));
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException(version + e.getMessage());
    } catch (KubeadmApiVersion.UnsupportedKubernetesVersionException e) {
      throw new InvalidSpecException(version + e.getMessage());
    }
  }

  private JoinDiscovery joinDiscovery() {
    return new JoinDiscovery(workloads, new BootstrapTokenSecret(clock), tokenTtl);
  }

  /**
   * The first Machine or MachinePool of CAPI core in the owner references (upstream {@code GetTypedConfigOwner}),
   * read at the version we know whatever version the reference names; empty until it is set, or when it is gone.
   */
  private Optional<ConfigOwner> owner(KubeadmConfig config) {
    List<OwnerReference> refs = config.getMetadata().getOwnerReferences();
    if (refs == null) return Optional.empty();
    String ns = config.getMetadata().getNamespace();
    for (OwnerReference ref : refs) {
      if (!Contract.CORE_GROUP.equals(group(ref.getApiVersion()))) continue;
      if ("Machine".equals(ref.getKind())) {
        return Optional.ofNullable(client.resources(Machine.class).inNamespace(ns).withName(ref.getName()).get())
            .map(ConfigOwner.OfMachine::new);
      }
      if ("MachinePool".equals(ref.getKind())) {
        return Optional.ofNullable(client.resources(MachinePool.class).inNamespace(ns).withName(ref.getName()).get())
            .map(ConfigOwner.OfMachinePool::new);
      }
    }
    return Optional.empty();
  }

  private Duration backoff(ResourceID id) {
    int n = failures.merge(id, 1, Integer::sum);
    long seconds = FIRST_RETRY.getSeconds() << Math.min(n - 1, 10);
    return Duration.ofSeconds(Math.min(seconds, MAX_RETRY.getSeconds()));
  }

  private static String joinToken(KubeadmConfig config) {
    var join = config.getSpec() == null ? null : config.getSpec().joinConfiguration;
    if (join == null || join.discovery == null || join.discovery.bootstrapToken == null) return null;
    return empty(join.discovery.bootstrapToken.token) ? null : join.discovery.bootstrapToken.token;
  }

  private static Set<ResourceID> configOf(Machine m) {
    var bootstrap = m.getSpec() == null ? null : m.getSpec().bootstrap;
    return configOf(m.getMetadata().getNamespace(), bootstrap == null ? null : bootstrap.configRef);
  }

  /** The KubeadmConfig a MachinePool's instances bootstrap with: {@code spec.template.spec.bootstrap.configRef}. */
  private static Set<ResourceID> configOf(MachinePool p) {
    var template = p.getSpec() == null || p.getSpec().template == null ? null : p.getSpec().template.spec;
    return configOf(p.getMetadata().getNamespace(), template == null || template.bootstrap == null
        ? null : template.bootstrap.configRef);
  }

  private static Set<ResourceID> configOf(String namespace, ContractVersionedObjectReference ref) {
    if (ref == null || !"KubeadmConfig".equals(ref.kind) || !Contract.BOOTSTRAP_GROUP.equals(ref.apiGroup)) {
      return Set.of();
    }
    return Set.of(new ResourceID(ref.name, namespace));
  }

  private static String group(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static List<Object> relevant(Cluster c) {
    return java.util.Arrays.asList(
        c.getSpec() == null ? null : c.getSpec().paused,
        c.getSpec() == null ? null : Serialization.asJson(c.getSpec().controlPlaneEndpoint),
        ClusterReadiness.infrastructureProvisioned(c),
        ClusterReadiness.controlPlaneInitialized(c));
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static String name(KubeadmConfig config) {
    return "KubeadmConfig " + config.getMetadata().getNamespace() + "/" + config.getMetadata().getName();
  }
}
