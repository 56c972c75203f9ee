package io.capdjava.controlplane;

import io.capdjava.core.CrashPoints;
import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneInitializationStatus;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.desired.DesiredMachine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.PreflightResult;
import io.capdjava.controlplane.machines.PreflightChecks;
import io.capdjava.controlplane.machines.ScaleDecision;
import io.capdjava.controlplane.phases.ClusterKubeconfigSecret;
import io.capdjava.controlplane.phases.CertificatesExpiryAnnotation;
import io.capdjava.core.ClusterReadiness;
import io.capdjava.controlplane.phases.ControlPlaneCertificates;
import io.capdjava.controlplane.phases.ControlPlaneDeletion;
import io.capdjava.controlplane.phases.DanglingMachineObjects;
import io.capdjava.controlplane.phases.ControlPlaneMachineConditions;
import io.capdjava.controlplane.phases.ControlPlaneMachineCreation;
import io.capdjava.controlplane.phases.ControlPlaneScaling;
import io.capdjava.controlplane.phases.KubeProxyAndCoreDns;
import io.capdjava.controlplane.phases.MachineInPlaceSync;
import io.capdjava.controlplane.phases.ControlPlaneScope;
import io.capdjava.controlplane.phases.ControlPlaneScopeReader;
import io.capdjava.controlplane.phases.EtcdLeadership;
import io.capdjava.controlplane.phases.EtcdMemberReconciliation;
import io.capdjava.controlplane.phases.InfrastructureTemplateOwnership;
import io.capdjava.controlplane.phases.MachineRemediation;
import io.capdjava.controlplane.phases.PreTerminateHook;
import io.capdjava.controlplane.phases.UninitializedMachineReplacement;
import io.capdjava.controlplane.phases.WorkloadKubeadmConfig;
import io.capdjava.controlplane.status.ControlPlaneStatus;
import io.capdjava.controlplane.status.KcpStatus;
import io.capdjava.controlplane.workload.KubeadmConfigMapProbe;
import io.capdjava.controlplane.workload.WorkloadClusters;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.Finalizers;
import io.capdjava.core.Owners;
import io.capdjava.core.Paused;
import io.capdjava.core.StatusPatch;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.reconcile.FailureMessage;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles KubeadmControlPlanes (upstream {@code kubeadmcontrolplane_controller.go}), in named phases:
 * observe (Cluster from the owner reference, finalizer, pause, scope), then either delete or reconcile
 * (infrastructure template ownership, wait for provisioned infrastructure, certificates, wait for the endpoint,
 * kubeconfig, Machine conditions, pre-terminate hook, remediation, scale or roll out), and always record the status
 * (patched only when it changed). The finalizer is managed here with {@link Finalizers}, not by JOSDK, since
 * upstream's name has no slash; JOSDK hands every event, deletion included, to {@link #reconcile}.
 */
@ControllerConfiguration(
    name = KubeadmControlPlaneReconciler.NAME,
    triggerReconcilerOnAllEvents = true,
    // metadata-only changes matter too: the Cluster owner reference, the paused annotation
    generationAwareEventProcessing = false,
    // upstream's --sync-period: also picks up changes to objects not watched (templates, secrets)
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public final class KubeadmControlPlaneReconciler implements Reconciler<KubeadmControlPlane> {
  public static final String NAME = "kubeadmcontrolplane";
  /** Upstream requeues every 20s until the control plane is initialized (nothing watches the workload cluster). */
  static final Duration NOT_INITIALIZED_REQUEUE = Duration.ofSeconds(20);
  /**
   * Nothing watches the workload cluster's pods and etcd: while the control plane is not fully healthy KCP looks
   * again this often, so health changes show without waiting for a Machine to change.
   */
  static final Duration HEALTH_REQUEUE = Duration.ofSeconds(15);
  /**
   * While a control plane Machine came up in the last {@link #COMING_UP_WINDOW}, the waits above (and a scale-up's
   * failed preflight) are this short instead: its pods and etcd member turn healthy within seconds of its Node, and the
   * Machine's availability, the next Machine of a scale-up and the Cluster's Available all wait for KCP to see that.
   * Measured (hack/bench.sh): a Machine Available 15 s after its Node was Ready, one scale-up step 15 s idle. Upstream
   * waits the full 15-20 s here; we look more often only while it pays.
   */
  static final Duration COMING_UP_REQUEUE = Duration.ofSeconds(2);
  static final Duration COMING_UP_WINDOW = Duration.ofMinutes(3);
  private static final Logger LOG = LoggerFactory.getLogger(KubeadmControlPlaneReconciler.class);

  private final KubernetesClient client;
  private final SharedInformers informers;
  private final KubeadmConfigMapProbe kubeadmConfigMap;
  private final Clock clock;
  private final ControlPlaneScopeReader scopeReader;
  private final InfrastructureTemplateOwnership templateOwnership;
  private final ControlPlaneCertificates certificates;
  private final ClusterKubeconfigSecret kubeconfig;
  private final ControlPlaneMachineConditions machineConditions;
  private final EtcdMemberReconciliation etcdMembers;
  private final PreTerminateHook preTerminateHook;
  private final MachineRemediation remediation;
  private final CertificatesExpiryAnnotation certificatesExpiry;
  private final WorkloadKubeadmConfig workloadKubeadmConfig;
  private final KubeProxyAndCoreDns addons = new KubeProxyAndCoreDns();
  private final MachineInPlaceSync machineSync;
  private final WorkloadClusters workloads;
  private final ControlPlaneScaling scaling;
  private final ControlPlaneDeletion deletion;
  private final DanglingMachineObjects danglingObjects;
  private final UninitializedMachineReplacement uninitializedReplacement;

  public KubeadmControlPlaneReconciler(KubernetesClient client, SharedInformers informers,
      KubeadmConfigMapProbe kubeadmConfigMap, WorkloadClusters workloads, Clock clock) {
    this.client = client;
    this.informers = informers;
    this.kubeadmConfigMap = kubeadmConfigMap;
    this.workloads = workloads;
    this.clock = clock;
    EtcdLeadership leadership = new EtcdLeadership();
    EventRecorder events = new EventRecorder(client, "capd-java-kubeadm-control-plane");
    this.scopeReader = new ControlPlaneScopeReader(client, workloads, events);
    this.templateOwnership = new InfrastructureTemplateOwnership(client);
    this.certificates = new ControlPlaneCertificates(client);
    this.kubeconfig = new ClusterKubeconfigSecret(client);
    this.machineConditions = new ControlPlaneMachineConditions(client, workloads);
    this.etcdMembers = new EtcdMemberReconciliation();
    this.preTerminateHook = new PreTerminateHook(client, leadership);
    this.remediation = new MachineRemediation(client, events);
    this.certificatesExpiry = new CertificatesExpiryAnnotation(client);
    this.workloadKubeadmConfig = new WorkloadKubeadmConfig();
    this.machineSync = new MachineInPlaceSync(client);
    this.scaling = new ControlPlaneScaling(client, new ControlPlaneMachineCreation(client, events), leadership, events);
    this.deletion = new ControlPlaneDeletion(client, preTerminateHook);
    this.danglingObjects = new DanglingMachineObjects(client, events);
    this.uninitializedReplacement = new UninitializedMachineReplacement(client, events);
  }

  @Override
  public List<EventSource<?, KubeadmControlPlane>> prepareEventSources(EventSourceContext<KubeadmControlPlane> context) {
    // control plane Machines (label-filtered cache) wake the KCP that controls them
    var machines = informers.<Machine, KubeadmControlPlane>eventSource("machines", Machine.class,
        m -> controllingKcp(m.getMetadata().getNamespace(), m.getMetadata().getOwnerReferences()))
        .withLabel(Contract.Label.CONTROL_PLANE);
    // a Cluster wakes the KCP its spec.controlPlaneRef names (infrastructure provisioned, endpoint, pause)
    var clusters = informers.<Cluster, KubeadmControlPlane>eventSource("clusters", Cluster.class,
        KubeadmControlPlaneReconciler::referencedKcp);
    return List.of(machines, clusters);
  }

  @Override
  public UpdateControl<KubeadmControlPlane> reconcile(KubeadmControlPlane kcp, Context<KubeadmControlPlane> context) {
    if (context.isPrimaryResourceDeleted()) return UpdateControl.noUpdate();
    JsonNode statusBefore = StatusPatch.snapshot(kcp);

    // clusterctl move deletes the source's objects: release, never scale down or delete the moved Machines
    if (kcp.isMarkedForDeletion() && kcp.getMetadata().getAnnotations() != null
        && kcp.getMetadata().getAnnotations().containsKey(Contract.Annotation.DELETE_FOR_MOVE)) {
      Finalizers.remove(client, kcp, Contract.Finalizer.KUBEADM_CONTROL_PLANE);
      LOG.info("{}/{}: released for clusterctl move", kcp.getMetadata().getNamespace(), kcp.getMetadata().getName());
      return UpdateControl.noUpdate();
    }

    // observe
    Optional<Cluster> owner = Owners.clusterFromOwner(client, kcp);
    if (owner.isEmpty()) {
      LOG.info("{}/{}: waiting for the Cluster controller to set the Cluster owner reference",
          kcp.getMetadata().getNamespace(), kcp.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
    Cluster cluster = owner.get();
    // paused first, as upstream: clusterctl move removes the finalizer of a paused KCP before deleting it, and must not
    // find it added back
    KcpStatus.set(kcp, Paused.condition(cluster, kcp));
    if (Paused.isPaused(cluster, kcp)) return StatusPatch.ifChanged(statusBefore, kcp);
    if (!kcp.isMarkedForDeletion() && !Finalizers.has(kcp, Contract.Finalizer.KUBEADM_CONTROL_PLANE)) {
      kcp = withStatus(Finalizers.ensure(client, kcp, Contract.Finalizer.KUBEADM_CONTROL_PLANE), kcp);
      CrashPoints.reach("KubeadmControlPlane/finalizer-added");
    }

    Instant now = clock.instant();
    ControlPlaneScope scope = null;
    Optional<Duration> requeue;
    RuntimeException failure = null;
    try {
      scope = scopeReader.read(kcp, cluster, now);
      requeue = kcp.isMarkedForDeletion() ? reconcileDelete(scope) : reconcileNormal(scope);
    } catch (RuntimeException e) {
      failure = e;
      requeue = Optional.empty();
    }

    // record status
    if (scope != null && !kcp.isMarkedForDeletion()) recordInitialization(scope);
    if (scope != null) {
      ControlPlaneStatus.update(kcp, cluster.getMetadata().getName(), scope.machines(), statusInputs(scope), now);
    }
    if (failure == null) KcpStatus.of(kcp).observedGeneration = kcp.getMetadata().getGeneration();

    if (kcp.isMarkedForDeletion() && scope != null && scope.machines().isEmpty() && failure == null) {
      CrashPoints.reach("KubeadmControlPlane/deleted");
      Finalizers.remove(client, kcp, Contract.Finalizer.KUBEADM_CONTROL_PLANE);
      kubeadmConfigMap.forget(scope.namespace(), scope.clusterName());
      workloads.forget(scope.namespace(), scope.clusterName());
      return UpdateControl.noUpdate();
    }
    if (failure != null) {
      recordStatusOfFailedReconcile(kcp, statusBefore);
      throw failure;
    }
    if (requeue.isEmpty() && !kcp.isMarkedForDeletion() && !KcpStatus.initialized(kcp)) {
      requeue = Optional.of(NOT_INITIALIZED_REQUEUE);
    }
    if (requeue.isEmpty() && !kcp.isMarkedForDeletion() && !healthy(kcp)) requeue = Optional.of(HEALTH_REQUEUE);
    if (requeue.isPresent() && scope != null && !kcp.isMarkedForDeletion() && comingUp(scope, now)
        && List.of(HEALTH_REQUEUE, NOT_INITIALIZED_REQUEUE, PreflightResult.PREFLIGHT_FAILED_REQUEUE)
            .contains(requeue.get())) {
      requeue = Optional.of(COMING_UP_REQUEUE);
    }
    if (!kcp.isMarkedForDeletion()) CrashPoints.reach("KubeadmControlPlane/reconciled");
    UpdateControl<KubeadmControlPlane> control = StatusPatch.ifChanged(statusBefore, kcp);
    return requeue.map(control::rescheduleAfter).orElse(control);
  }

  /** The conditions say what failed; JOSDK retries the reconcile, and the error it logs stays the original one. */
  private void recordStatusOfFailedReconcile(KubeadmControlPlane kcp, JsonNode statusBefore) {
    if (!StatusPatch.changed(statusBefore, kcp)) return;
    try {
      client.resource(kcp).patchStatus();
    } catch (RuntimeException e) {
      LOG.debug("{}/{}: could not record the status of a failed reconcile: {}", kcp.getMetadata().getNamespace(),
          kcp.getMetadata().getName(), e.getMessage());
    }
  }

  /** Phases of a KCP that is not being deleted; a delay means "stop here and look again then". */
  private Optional<Duration> reconcileNormal(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    Long generation = kcp.getMetadata().getGeneration();
    templateOwnership.reconcile(scope);

    if (!ClusterReadiness.infrastructureProvisioned(scope.cluster())) {
      waitingForCluster(kcp, "Waiting for Cluster status.infrastructureReady to be true", generation);
      LOG.info("{}/{}: Cluster infrastructure is not provisioned yet", scope.namespace(), kcp.getMetadata().getName());
      return Optional.empty();
    }
    certificates.reconcile(scope);
    CrashPoints.reach("KubeadmControlPlane/certificates-created");
    if (!ClusterReadiness.endpointValid(scope.cluster())) {
      waitingForCluster(kcp, "Waiting for Cluster spec.controlPlaneEndpoint to be set", generation);
      LOG.info("{}/{}: Cluster has no control plane endpoint yet", scope.namespace(), kcp.getMetadata().getName());
      return Optional.empty();
    }
    // what a creation cut short left behind goes before anything counts Machines; a clean-up that cannot run (a
    // role without list, say) must not stop the control plane
    try {
      danglingObjects.reconcile(scope);
    } catch (KubernetesClientException e) {
      LOG.warn("{}/{}: could not look for objects of Machines never created: {}", scope.namespace(),
          kcp.getMetadata().getName(), FailureMessage.of(e));
    }
    Optional<Duration> wait = kubeconfig.reconcile(scope);
    if (wait.isPresent()) return wait;

    machineSync.reconcile(scope);
    machineConditions.reconcile(scope);
    wait = etcdMembers.reconcile(scope);
    if (wait.isPresent()) return wait;
    wait = preTerminateHook.reconcile(scope);
    if (wait.isPresent()) return wait;
    // a remediation (deleting an unhealthy Machine) ends the reconcile; a refused one lets scaling go on
    wait = remediation.reconcile(scope);
    if (wait.isPresent()) return wait;
    // a first Machine that failed and whose spec was fixed since: nothing to roll out from, start again
    wait = uninitializedReplacement.reconcile(scope);
    if (wait.isPresent()) return wait;

    ScaleDecision.Operation operation = ScaleDecision.decide(scope.controlPlaneMachines(),
        kcp.getSpec().replicas == null ? 1 : kcp.getSpec().replicas, ScaleDecision.maxSurge(kcp));
    if (operation instanceof ScaleDecision.Initialize) return scaling.initialize(scope);
    if (operation instanceof ScaleDecision.ScaleUp up) {
      if (up.rollout()) rollout(scope);
      return scaling.scaleUp(scope);
    }
    if (operation instanceof ScaleDecision.ScaleDown down) {
      if (down.rollout()) rollout(scope);
      return scaling.scaleDown(scope, down.machine());
    }
    // scaling settled: what needs every control plane Machine working comes last, blocking nothing above
    addons.reconcile(scope);
    certificatesExpiry.reconcile(scope);
    return Optional.empty();
  }

  /** Before Machines are replaced, joining Machines must find the new settings in the workload cluster. */
  private void rollout(ControlPlaneScope scope) {
    List<String> outdated = scope.controlPlaneMachines().machinesNeedingRollout().stream()
        .map(m -> MachineFacts.name(m) + " (" + String.join(", ", scope.upToDate(MachineFacts.name(m)).logMessages())
            + ")")
        .sorted().toList();
    LOG.info("{}/{}: Machines need rollout: {}", scope.namespace(), scope.kcp().getMetadata().getName(),
        String.join(", ", outdated));
    workloadKubeadmConfig.reconcile(scope);
  }

  private Optional<Duration> reconcileDelete(ControlPlaneScope scope) {
    try {
      // once every control plane Machine is going, so is the workload cluster: asking it for Nodes and pods would
      // only wait for a connection timeout (about 10 s) before the finalizer can go
      if (scope.machines().stream().anyMatch(m -> !MachineFacts.isDeleting(m))) machineConditions.reconcile(scope);
    } catch (RuntimeException e) {
      // the workload cluster is going away with the control plane
      LOG.info("{}/{}: failed to reconcile conditions while deleting: {}", scope.namespace(),
          scope.kcp().getMetadata().getName(), e.getMessage());
    }
    return deletion.reconcile(scope);
  }

  /** The control plane reports every component and etcd member healthy. */
  /** Whether a control plane Machine (not being deleted) was created within {@link #COMING_UP_WINDOW}. */
  private static boolean comingUp(ControlPlaneScope scope, Instant now) {
    return scope.machines().stream().anyMatch(m -> !MachineFacts.isDeleting(m)
        && m.getMetadata().getCreationTimestamp() != null
        && Instant.parse(m.getMetadata().getCreationTimestamp()).isAfter(now.minus(COMING_UP_WINDOW)));
  }

  private static boolean healthy(KubeadmControlPlane kcp) {
    return Conditions.isTrue(KcpStatus.conditions(kcp), ControlPlaneConditions.AVAILABLE)
        && Conditions.isTrue(KcpStatus.conditions(kcp), ControlPlaneConditions.CONTROL_PLANE_COMPONENTS_HEALTHY)
        && (!DesiredMachine.etcdManaged(kcp)
            || Conditions.isTrue(KcpStatus.conditions(kcp), ControlPlaneConditions.ETCD_CLUSTER_HEALTHY));
  }

  /**
   * Upstream {@code setControlPlaneInitialized}: set once {@code kube-system/kubeadm-config} exists in the workload
   * cluster, never reset. Not probed while the only Machine is going away. A workload cluster that cannot be reached
   * yet is not an error.
   */
  private void recordInitialization(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    if (KcpStatus.initialized(kcp)) return;
    if (scope.machines().isEmpty()) return;
    if (scope.machines().size() == 1 && MachineFacts.isDeleting(scope.machines().get(0))) return;
    try {
      if (kubeadmConfigMap.hasKubeadmConfig(scope.namespace(), scope.clusterName())) {
        var status = KcpStatus.of(kcp);
        if (status.initialization == null) {
          status.initialization = new KubeadmControlPlaneInitializationStatus();
        }
        status.initialization.controlPlaneInitialized = true;
        LOG.info("{}/{}: control plane initialized (kube-system/kubeadm-config exists)", scope.namespace(),
            kcp.getMetadata().getName());
      }
    } catch (RuntimeException e) {
      LOG.info("{}/{}: workload cluster not reachable yet: {}", scope.namespace(), kcp.getMetadata().getName(),
          e.getMessage());
    }
  }

  private static void waitingForCluster(KubeadmControlPlane kcp, String message, Long generation) {
    KcpStatus.set(kcp, Conditions.of(ControlPlaneConditions.ETCD_CLUSTER_HEALTHY, Conditions.UNKNOWN,
        ControlPlaneConditions.INSPECTION_FAILED_REASON, message, generation));
    KcpStatus.set(kcp, Conditions.of(ControlPlaneConditions.CONTROL_PLANE_COMPONENTS_HEALTHY, Conditions.UNKNOWN,
        ControlPlaneConditions.INSPECTION_FAILED_REASON, message, generation));
  }

  private static ControlPlaneStatus.Inputs statusInputs(ControlPlaneScope scope) {
    return new ControlPlaneStatus.Inputs(
        scope.preflight(),
        PreflightChecks.pendingTopologyVersion(scope.cluster(), scope.kcp().getSpec().version).orElse(""),
        scope.infraMachineTemplateNotFound(),
        scope.deletingReason(),
        scope.deletingMessage(),
        scope.etcdManaged(),
        scope.machineCreationFailure(),
        scope.etcdMembers().orElse(null),
        scope.etcdMembersAndMachinesMatching());
  }

  /** The stored KCP after a metadata edit, keeping the status being built (the edit returns the stored one). */
  private static KubeadmControlPlane withStatus(KubeadmControlPlane stored, KubeadmControlPlane original) {
    stored.setStatus(original.getStatus());
    return stored;
  }

  private static Set<ResourceID> controllingKcp(String namespace, List<OwnerReference> refs) {
    if (refs == null) return Set.of();
    return refs.stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()) && "KubeadmControlPlane".equals(r.getKind())
            && r.getApiVersion() != null && r.getApiVersion().startsWith(Contract.CONTROL_PLANE_GROUP + "/"))
        .map(r -> new ResourceID(r.getName(), namespace))
        .collect(Collectors.toSet());
  }

  private static Set<ResourceID> referencedKcp(Cluster cluster) {
    ContractVersionedObjectReference ref = cluster.getSpec() == null ? null : cluster.getSpec().controlPlaneRef;
    if (ref == null || !"KubeadmControlPlane".equals(ref.kind) || !Contract.CONTROL_PLANE_GROUP.equals(ref.apiGroup)) {
      return Set.of();
    }
    return Set.of(new ResourceID(ref.name, cluster.getMetadata().getNamespace()));
  }
}
