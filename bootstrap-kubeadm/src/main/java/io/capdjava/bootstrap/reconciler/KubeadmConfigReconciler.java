package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigStatus;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.reconcile.FailureMessage;
import io.capdjava.core.reconcile.ProviderReconciler;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.bootstrap.kubeadm.KubeadmApiVersion;
import io.capdjava.core.KubernetesVersion;
import io.capdjava.core.ClusterReadiness;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.Owners;
import io.capdjava.core.WorkloadClusterClients;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KubeadmConfig: a Machine's kubeadm configuration turned into its bootstrap data secret (upstream CABPK's
 * {@code KubeadmConfigReconciler}). Phases: observe (owner Machine, its Cluster, pausing), keep an existing data
 * secret owned, wait for the infrastructure, rebuild status after a move, keep the join token fresh, validate,
 * then generate for the first control plane (under the init lock), a joining control plane or a worker, store the
 * secret and record status. KubeadmConfig has no finalizer (as upstream), so deletion needs nothing.
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

  private final WorkloadClusterClients workloads;
  private final Duration tokenTtl;
  private final Clock clock;
  private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

  public KubeadmConfigReconciler(KubernetesClient client, WorkloadClusterClients workloads, Duration tokenTtl,
      EventRecorder events) {
    this(client, workloads, tokenTtl, events, Clock.systemUTC());
  }

  KubeadmConfigReconciler(KubernetesClient client, WorkloadClusterClients workloads, Duration tokenTtl,
      EventRecorder events, Clock clock) {
    super(client, events);
    this.workloads = workloads;
    this.tokenTtl = tokenTtl;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, KubeadmConfig>> prepareEventSources(EventSourceContext<KubeadmConfig> context) {
    var machines = new InformerEventSource<>(InformerEventSourceConfiguration.from(Machine.class, KubeadmConfig.class)
        .withName("machines")
        .withSecondaryToPrimaryMapper(KubeadmConfigReconciler::configOf)
        .build(), context);
    // a Cluster being provisioned, initialized, paused or unpaused moves all its KubeadmConfigs on
    var clusters = new InformerEventSource<>(InformerEventSourceConfiguration.from(Cluster.class, KubeadmConfig.class)
        .withName("clusters")
        .withOnUpdateFilter((now, before) -> !Objects.equals(relevant(now), relevant(before)))
        .withSecondaryToPrimaryMapper(c -> machines
            .list(c.getMetadata().getNamespace(), m -> m.getSpec() != null
                && c.getMetadata().getName().equals(m.getSpec().clusterName))
            .flatMap(m -> configOf(m).stream())
            .collect(Collectors.toSet()))
        .build(), context);
    return List.of(machines, clusters);
  }

  /** A KubeadmConfig with its owner Machine and Cluster. */
  record Scope(KubeadmConfig config, ConfigOwner owner, Cluster cluster) {}

  @Override
  protected Observation<Scope> observe(KubeadmConfig config, Context<KubeadmConfig> context) {
    // no finalizer (as upstream): nothing to clean up, and the owners may already be gone
    if (config.isMarkedForDeletion()) return Observation.waitingFor("nothing: a deleted KubeadmConfig needs no clean-up");
    Optional<ConfigOwner> owner = owner(config);
    if (owner.isEmpty()) return Observation.waitingFor("the Machine controller to set the owner reference");
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
      String token = joinToken(config);
      if (token != null && !owner.hasNodeRef()) {
        // the node has not joined yet: keep its token valid until it does; the data itself stays available
        try {
          joinDiscovery().refreshToken(cluster, token);
        } catch (MissingInputException | InvalidSpecException | KubernetesClientException e) {
          LOG.warn("{}: cannot refresh the bootstrap token: {}", name(config), e.getMessage());
          return TOKEN_RETRY;
        }
        return tokenTtl.dividedBy(3);
      }
      return null;
    }

    validate(config, owner);
    BootstrapDataGeneration generation = new BootstrapDataGeneration(client, joinDiscovery());
    ControlPlaneInitLock lock = new ControlPlaneInitLock(client);
    if (!ClusterReadiness.controlPlaneInitialized(cluster)) {
      status.waitingForControlPlane();
      if (!owner.isControlPlane()) return WAIT_FOR_CONTROL_PLANE;
      if (!lock.lock(cluster, owner.machine())) return WAIT_FOR_CONTROL_PLANE;
      LOG.info("{}: creating bootstrap data for the first control plane machine {}", name(config), owner.name());
      try {
        store(config, cluster, status, dataSecret, generation.init(config, owner, cluster, status));
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
    LOG.info("{}: created bootstrap data for {} machine {}", name(config),
        owner.isControlPlane() ? "joining control plane" : "worker", owner.name());
    store(config, cluster, status, dataSecret, result);
    return tokenTtl.dividedBy(3);
  }

  private void store(KubeadmConfig config, Cluster cluster, StatusRecorder status, BootstrapDataSecret dataSecret,
      BootstrapDataGeneration.Result result) {
    // what upstream writes back into the spec (token, hashes, endpoint) is saved before the data that uses it
    if (!result.specChanges().isEmpty()) patchSpec(config, result.specChanges());
    dataSecret.store(config, cluster.getMetadata().getName(), result.data(), Contract.Bootstrap.FORMAT_CLOUD_CONFIG);
    status.dataSecretCreated(config.getMetadata().getName());
    events.normal(config, "BootstrapDataCreated", "Created bootstrap data secret " + config.getMetadata().getName());
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
    if (spec == null) throw new InvalidSpecException("spec: must be set");
    if (Contract.Bootstrap.FORMAT_IGNITION.equals(spec.format)) {
      throw new InvalidSpecException("spec.format: ignition is not supported by this provider; use cloud-config");
    }
    if (spec.ignition != null) {
      throw new InvalidSpecException("spec.ignition: Ignition is not supported by this provider; remove it");
    }
    if (!owner.isControlPlane() && spec.joinConfiguration != null && spec.joinConfiguration.controlPlane != null) {
      throw new InvalidSpecException("spec.joinConfiguration.controlPlane: must not be set for worker Machine "
          + owner.name() + " (it has no " + Contract.Label.CONTROL_PLANE + " label)");
    }
    try {
      KubeadmApiVersion.forKubernetes(KubernetesVersion.parse(owner.kubernetesVersion()));
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException("Machine " + owner.name() + " spec.version: " + e.getMessage());
    } catch (KubeadmApiVersion.UnsupportedKubernetesVersionException e) {
      throw new InvalidSpecException("Machine " + owner.name() + " spec.version: " + e.getMessage());
    }
  }

  private JoinDiscovery joinDiscovery() {
    return new JoinDiscovery(workloads, new BootstrapTokenSecret(clock), tokenTtl);
  }

  /** The Machine named in the owner references; MachinePools are not supported and are left alone. */
  private Optional<ConfigOwner> owner(KubeadmConfig config) {
    Optional<OwnerReference> ref = Owners.ownerReference(config, "Machine");
    if (ref.isEmpty()) {
      if (Owners.ownerReference(config, "MachinePool").isPresent()) {
        LOG.debug("{}: owned by a MachinePool, which this provider does not support", name(config));
      }
      return Optional.empty();
    }
    Machine machine = client.resources(Machine.class).inNamespace(config.getMetadata().getNamespace())
        .withName(ref.get().getName()).get();
    return Optional.ofNullable(machine).map(ConfigOwner::new);
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
    var ref = m.getSpec() == null || m.getSpec().bootstrap == null ? null : m.getSpec().bootstrap.configRef;
    if (ref == null || !"KubeadmConfig".equals(ref.kind) || !Contract.BOOTSTRAP_GROUP.equals(ref.apiGroup)) {
      return Set.of();
    }
    return Set.of(new ResourceID(ref.name, m.getMetadata().getNamespace()));
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
