package io.capdjava.docker.reconcile;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineAddress;
import io.capdjava.api.core.v1beta2.MachinePool;
import io.capdjava.api.infrastructure.v1beta2.DevMachineStatus;
import io.capdjava.core.CachedReads;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.Owners;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.reconcile.FailureMessage;
import io.capdjava.core.reconcile.PhaseFailure;
import io.capdjava.core.reconcile.ProviderReconciler;
import io.capdjava.docker.DockerConditions;
import io.capdjava.docker.Labels;
import io.capdjava.docker.kinds.MachinePoolSettings;
import io.capdjava.docker.machine.NodeContainer;
import io.capdjava.docker.machine.NodeImage;
import io.capdjava.docker.pool.MachinePoolPlan;
import io.capdjava.docker.pool.PoolContract;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.HostLimits;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The docker backend of a MachinePool, for both kinds that ask for it: DockerMachinePool and DevMachinePool (one
 * implementation; the subclasses say how their kind carries the settings and which machine kind its instances are).
 * As upstream CAPD: each instance is a node container labelled with the pool, with an infrastructure machine of the
 * pool's machine kind (DockerMachine/DevMachine, named as the container); CAPI core makes a Machine for each
 * ({@code status.infrastructureMachineKind}), and the machine reconciler bootstraps the container with the pool's
 * bootstrap data. Phases: observe (owner MachinePool, Cluster, the pool's containers and machines), decide with
 * {@link MachinePoolPlan} (create, adopt, replace outdated, scale down), act, record (provider IDs, replicas,
 * instances, ReplicasReady). Deleting removes the instances' Machines, then any container left.
 *
 * @param <P> the pool kind
 * @param <M> the kind of its instances' infrastructure machines
 */
public abstract class DockerBackendMachinePoolReconciler<P extends CustomResource<?, ?>,
    M extends CustomResource<?, ? extends DevMachineStatus>>
    extends ProviderReconciler<P, DockerBackendMachinePoolReconciler.PoolScope<P>> {
  private static final Logger LOG = LoggerFactory.getLogger(DockerBackendMachinePoolReconciler.class);
  /** Instances change without an event reaching the pool (a container removed by hand): look again this often. */
  static final Duration RESYNC = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ContainerRuntime runtime;
  private final SecurityProfile security;
  private final HostLimits hostLimits;
  private final SharedInformers informers;

  /** The pool with its MachinePool and Cluster (both may be null while deleting) and its docker settings. */
  record PoolScope<P>(P pool, MachinePool machinePool, Cluster cluster, String clusterName,
      MachinePoolSettings settings) {}

  protected DockerBackendMachinePoolReconciler(KubernetesClient client, SharedInformers informers,
      ContainerRuntime runtime, SecurityProfile security, HostLimits hostLimits, EventRecorder events) {
    super(client, events);
    this.informers = informers;
    this.hostLimits = hostLimits;
    this.runtime = runtime;
    this.security = security;
  }

  protected abstract Class<P> type();

  /** The kind of the instances' infrastructure machines, which CAPI core reads from the status. */
  protected abstract Class<M> machineType();

  /** The pool's docker settings; null when it has none. */
  protected abstract MachinePoolSettings settings(P pool);

  /** The engine label that marks a container as one of this kind's pool instances (upstream's key). */
  protected abstract String containerLabel();

  /** The pool's own provider ID. */
  protected abstract String poolProviderId(String clusterName, String poolName);

  /** The spec of a new instance's infrastructure machine, as JSON-ready maps. */
  protected abstract Map<String, Object> machineSpec(MachinePoolSettings settings);

  /** Writes what was observed into the pool's status (its kind's own status type). */
  protected abstract void recordStatus(P pool, Observed observed);

  /** What {@link #recordStatus} writes. */
  protected record Observed(int replicas, boolean ready, List<Instance> instances) {}

  /** One instance as the status reports it. */
  protected record Instance(String name, String providerID, List<MachineAddress> addresses, String version,
      boolean ready, boolean bootstrapped) {}

  @Override
  public List<EventSource<?, P>> prepareEventSources(EventSourceContext<P> context) {
    String kind = HasMetadata.getKind(type());
    // the MachinePool's replicas, version and bootstrap data secret drive the pool
    var machinePools = informers.<MachinePool, P>eventSource("machinepools", MachinePool.class, mp -> {
      var ref = mp.getSpec() == null || mp.getSpec().template == null || mp.getSpec().template.spec == null
          ? null : mp.getSpec().template.spec.infrastructureRef;
      return ref == null || !kind.equals(ref.kind) ? Set.of()
          : Set.of(new ResourceID(ref.name, mp.getMetadata().getNamespace()));
    });
    // an instance's machine getting provisioned or deleted moves the pool on
    var machines = new InformerEventSource<>(InformerEventSourceConfiguration.from(machineType(), type())
        .withSecondaryToPrimaryMapper(m -> m.getMetadata().getOwnerReferences() == null ? Set.of()
            : m.getMetadata().getOwnerReferences().stream().filter(r -> kind.equals(r.getKind()))
                .map(r -> new ResourceID(r.getName(), m.getMetadata().getNamespace())).collect(Collectors.toSet()))
        .build(), context);
    return List.of(machinePools, machines);
  }

  @Override
  protected Observation<PoolScope<P>> observe(P pool, Context<P> context) {
    Optional<MachinePool> machinePool = Owners.ownerReference(pool, "MachinePool")
        .flatMap(r -> CachedReads.get(context, client, MachinePool.class, pool.getMetadata().getNamespace(),
            r.getName()));
    Optional<Cluster> cluster = machinePool.map(mp -> mp.getSpec().clusterName)
        .or(() -> Owners.clusterName(pool))
        .flatMap(n -> Owners.cluster(client, pool.getMetadata().getNamespace(), n));
    String clusterName = machinePool.map(mp -> mp.getSpec().clusterName).or(() -> Owners.clusterName(pool))
        .orElse(null);
    if (pool.isMarkedForDeletion()) {
      return Observation.found(new PoolScope<>(pool, machinePool.orElse(null), cluster.orElse(null), clusterName,
          settings(pool)), cluster.orElse(null));
    }
    if (machinePool.isEmpty()) return Observation.waitingFor("the MachinePool controller to set the owner reference");
    if (cluster.isEmpty()) return Observation.waitingFor("the MachinePool's Cluster");
    return Observation.found(new PoolScope<>(pool, machinePool.get(), cluster.get(), clusterName, settings(pool)),
        cluster.get());
  }

  @Override
  protected String finalizer() {
    return PoolContract.FINALIZER;
  }

  @Override
  protected String[] readySummarises() {
    return new String[] {PoolContract.REPLICAS_READY};
  }

  @Override
  protected void validate(PoolScope<P> scope) {
    if (scope.settings() == null) {
      throw new PhaseFailure(Contract.Condition.READY, Conditions.FALSE, DockerConditions.BACKEND_NOT_SUPPORTED_REASON,
          "spec.backend.docker is not set: capd-java runs the docker backend only", null);
    }
  }

  @Override
  protected Optional<Duration> reconcileNormal(PoolScope<P> scope) {
    P pool = scope.pool();
    MachinePool mp = scope.machinePool();
    List<Condition> conditions = conditions(pool);
    Long generation = pool.getMetadata().getGeneration();
    String dataSecretName = mp.getSpec().template == null || mp.getSpec().template.spec == null
        || mp.getSpec().template.spec.bootstrap == null ? null : mp.getSpec().template.spec.bootstrap.dataSecretName;
    int wanted = mp.getSpec().replicas == null ? 1 : mp.getSpec().replicas;
    if (dataSecretName == null || dataSecretName.isEmpty()) {
      Conditions.set(conditions, Conditions.isFalse(PoolContract.REPLICAS_READY,
          DockerConditions.WAITING_FOR_BOOTSTRAP_DATA_REASON,
          "Waiting for MachinePool spec.template.spec.bootstrap.dataSecretName", generation));
      recordStatus(pool, new Observed(0, false, List.of()));
      return Optional.empty();
    }
    String version = mp.getSpec().template.spec.version;
    String image;
    try {
      image = NodeImage.forMachine(scope.settings().customImage(), version);
    } catch (IllegalArgumentException e) {
      throw new PhaseFailure(PoolContract.REPLICAS_READY, Conditions.FALSE, Contract.Condition.NOT_READY_REASON,
          "MachinePool spec.template.spec.version is not set and " + scope.settings().fieldPrefix()
              + "customImage is empty", null);
    }

    Map<String, ContainerInfo> containers = containers(scope);
    Map<String, M> machines = machines(scope);
    List<MachinePoolPlan.Instance> instances = new ArrayList<>();
    Set<String> names = new java.util.TreeSet<>(containers.keySet());
    names.addAll(machines.keySet());
    for (String name : names) {
      ContainerInfo container = containers.get(name);
      M machine = machines.get(name);
      Optional<Machine> owner = machine == null ? Optional.empty() : Owners.machine(client, machine);
      boolean deleting = (machine != null && machine.isMarkedForDeletion())
          || owner.map(Machine::isMarkedForDeletion).orElse(false);
      boolean deleteAnnotation = owner.map(o -> o.getMetadata().getAnnotations() != null
          && o.getMetadata().getAnnotations().containsKey(Contract.Annotation.DELETE_MACHINE)).orElse(false);
      instances.add(new MachinePoolPlan.Instance(name, container == null ? null : container.image(), machine != null,
          machine != null && provisioned(machine), deleting, deleteAnnotation,
          machine == null ? "" : machine.getMetadata().getCreationTimestamp()));
    }

    MachinePoolPlan.Actions actions = MachinePoolPlan.decide(wanted, image, instances);
    for (String name : actions.machinesToCreate()) createMachine(scope, name);
    for (String name : actions.machinesToDelete()) deleteInstance(scope, machines.get(name));
    for (int i = 0; i < actions.containersToCreate(); i++) createContainer(scope, image);
    if (!actions.machinesToCreate().isEmpty() || actions.containersToCreate() > 0) {
      machines = machines(scope);
    }

    List<String> providerIds = machines.values().stream().map(this::providerId).filter(id -> !id.isEmpty()).sorted()
        .toList();
    patchProviderIds(pool, poolProviderId(scope.clusterName(), pool.getMetadata().getName()), providerIds);
    boolean ready = providerIds.size() == wanted && machines.size() == wanted;
    List<Instance> reported = machines.values().stream().map(m -> new Instance(m.getMetadata().getName(),
        providerId(m).isEmpty() ? null : providerId(m), m.getStatus() == null ? null : m.getStatus().addresses,
        version, provisioned(m), m.getStatus() != null && Conditions.isTrue(m.getStatus().conditions,
            DockerConditions.BOOTSTRAP_COMPLETED))).toList();
    recordStatus(pool, new Observed(machines.size(), ready, reported));
    Conditions.set(conditions, ready
        ? Conditions.isTrue(PoolContract.REPLICAS_READY, Contract.Condition.READY_REASON, generation)
        : Conditions.isFalse(PoolContract.REPLICAS_READY, Contract.Condition.NOT_READY_REASON, providerIds.size()
            + " of " + wanted + " replicas are provisioned (" + machines.size() + " exist)", generation));
    return Optional.of(RESYNC);
  }

  @Override
  protected Optional<Duration> reconcileDelete(PoolScope<P> scope) {
    if (scope.clusterName() == null) return Optional.empty();
    Map<String, M> machines = machines(scope);
    if (!machines.isEmpty()) {
      // the instances go the way every Machine goes (drain, then the machine reconciler removes the container)
      for (M machine : machines.values()) {
        if (!machine.isMarkedForDeletion()) deleteInstance(scope, machine);
      }
      return Optional.of(Duration.ofSeconds(5));
    }
    for (ContainerInfo c : containers(scope).values()) {
      try {
        NodeContainer.remove(runtime, c.name());
      } catch (RuntimeException e) {
        throw PhaseFailure.deleting("remove container " + c.name(), e);
      }
    }
    return Optional.empty();
  }

  @Override
  protected List<Condition> conditions(P pool) {
    return statusConditions(pool);
  }

  /** The status's condition list, the status created if missing. */
  protected abstract List<Condition> statusConditions(P pool);

  private Map<String, ContainerInfo> containers(PoolScope<P> scope) {
    Map<String, ContainerInfo> byName = new LinkedHashMap<>();
    for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, scope.clusterName(), containerLabel(),
        scope.pool().getMetadata().getName()))) {
      byName.put(c.name(), c);
    }
    return byName;
  }

  private Map<String, M> machines(PoolScope<P> scope) {
    String poolName = scope.machinePool() != null ? scope.machinePool().getMetadata().getName()
        : Owners.ownerReference(scope.pool(), "MachinePool").map(r -> r.getName()).orElse(null);
    if (poolName == null) return Map.of();
    Map<String, M> byName = new LinkedHashMap<>();
    for (M m : client.resources(machineType()).inNamespace(scope.pool().getMetadata().getNamespace())
        .withLabel(Contract.Label.CLUSTER_NAME, scope.clusterName()).withLabel(PoolContract.POOL_NAME_LABEL, poolName)
        .list().getItems()) {
      byName.put(m.getMetadata().getName(), m);
    }
    return byName;
  }

  private void createContainer(PoolScope<P> scope, String image) {
    String instance = "worker-" + randomSuffix();
    List<String> failureDomains = scope.machinePool().getSpec().failureDomains;
    String failureDomain = failureDomains == null || failureDomains.isEmpty() ? null
        : failureDomains.get(RANDOM.nextInt(failureDomains.size()));
    String name = NodeContainer.name(scope.clusterName(), instance);
    if (!runtime.imagePresent(image)) {
      try {
        runtime.pull(image);
      } catch (RuntimeException e) {
        String customImage = scope.settings().customImage();
        boolean custom = customImage != null && !customImage.isBlank();
        String from = custom ? scope.settings().fieldPrefix() + "customImage"
            : "the node image of MachinePool spec.template.spec.version "
                + scope.machinePool().getSpec().template.spec.version;
        throw new PhaseFailure(PoolContract.REPLICAS_READY, Conditions.FALSE,
            DockerConditions.NODE_IMAGE_UNAVAILABLE_REASON,
            NodeImage.unavailableMessage(image, from, custom, FailureMessage.of(e)), e);
      }
    }
    hostLimits.shortfallForOneMoreNode().ifPresent(shortfall -> {
      throw new PhaseFailure(PoolContract.REPLICAS_READY, Conditions.FALSE, Contract.Condition.NOT_READY_REASON,
          "Pool instance container " + name + " not created: " + shortfall, null);
    });
    try {
      runtime.ensureNetwork(Labels.NETWORK);
      LOG.info("{}: creating pool instance container {} from {}", name(scope.pool()), name, image);
      runtime.run(NodeContainer.spec(scope.clusterName(), instance, image, false, failureDomain,
          scope.settings().extraMounts(), security).withLabel(containerLabel(), scope.pool().getMetadata().getName()));
      events.normal(scope.pool(), "ContainerCreated", "Created pool instance container " + name + " from " + image);
    } catch (RuntimeException e) {
      throw PhaseFailure.of(PoolContract.REPLICAS_READY, Contract.Condition.NOT_READY_REASON,
          "create pool instance container " + name + " from " + image, e);
    }
    createMachine(scope, name);
  }

  /** The infrastructure machine of an instance, named as its container, labelled so CAPI core finds it. */
  private void createMachine(PoolScope<P> scope, String name) {
    P pool = scope.pool();
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", HasMetadata.getApiVersion(machineType()));
    object.put("kind", HasMetadata.getKind(machineType()));
    object.put("metadata", Map.of("name", name, "namespace", pool.getMetadata().getNamespace(),
        "labels", Map.of(Contract.Label.CLUSTER_NAME, scope.clusterName(),
            PoolContract.POOL_NAME_LABEL, scope.machinePool().getMetadata().getName()),
        "ownerReferences", List.of(new OwnerReferenceBuilder().withApiVersion(pool.getApiVersion())
            .withKind(pool.getKind()).withName(pool.getMetadata().getName()).withUid(pool.getMetadata().getUid())
            .build())));
    object.put("spec", machineSpec(scope.settings()));
    GenericKubernetesResource machine = Serialization.jsonMapper().convertValue(object,
        GenericKubernetesResource.class);
    try {
      client.resource(machine).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
    }
  }

  /** Removes an instance the way upstream does: by deleting its Machine; one without a Machine goes directly. */
  private void deleteInstance(PoolScope<P> scope, M machine) {
    if (machine == null) return;
    Optional<Machine> owner = Owners.machine(client, machine);
    if (owner.isPresent()) {
      LOG.info("{}: deleting Machine {} of pool instance {}", name(scope.pool()), owner.get().getMetadata().getName(),
          machine.getMetadata().getName());
      client.resource(owner.get()).delete();
      events.normal(scope.pool(), "SuccessfulDelete", "Deleted Machine " + owner.get().getMetadata().getName());
    } else {
      client.resource(machine).delete();
    }
  }

  private void patchProviderIds(P pool, String poolProviderId, List<String> providerIds) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("providerID", poolProviderId);
    spec.put("providerIDList", providerIds);
    @SuppressWarnings("unchecked")
    Map<String, Object> current = Serialization.jsonMapper().convertValue(pool.getSpec(), Map.class);
    if (current != null && poolProviderId.equals(current.get("providerID"))
        && (providerIds.equals(current.get("providerIDList"))
            || providerIds.isEmpty() && current.get("providerIDList") == null)) {
      return;
    }
    P patched = client.resources(type()).inNamespace(pool.getMetadata().getNamespace())
        .withName(pool.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", spec)));
    pool.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    pool.getMetadata().setGeneration(patched.getMetadata().getGeneration());
  }

  private String providerId(M machine) {
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = Serialization.jsonMapper().convertValue(machine.getSpec(), Map.class);
    Object id = spec == null ? null : spec.get("providerID");
    return id == null ? "" : id.toString();
  }

  private static boolean provisioned(CustomResource<?, ? extends DevMachineStatus> machine) {
    return machine.getStatus() != null && machine.getStatus().initialization != null
        && Boolean.TRUE.equals(machine.getStatus().initialization.provisioned);
  }

  private static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 6; i++) s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    return s.toString();
  }
}
