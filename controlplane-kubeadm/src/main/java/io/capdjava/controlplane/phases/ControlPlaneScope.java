package io.capdjava.controlplane.phases;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.desired.DesiredMachine;
import io.capdjava.controlplane.health.EtcdInspection;
import io.capdjava.controlplane.machines.ControlPlaneMachines;
import io.capdjava.controlplane.machines.EtcdAlarm;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.PreflightChecks;
import io.capdjava.controlplane.machines.PreflightResult;
import io.capdjava.controlplane.machines.UpToDateCheck;
import io.capdjava.controlplane.workload.WorkloadCluster;
import io.capdjava.controlplane.workload.WorkloadClusters;
import io.capdjava.core.Conditions;
import io.capdjava.core.certs.KeyAlgorithm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one reconcile of a KubeadmControlPlane knows (upstream {@code pkg.ControlPlane}): the KCP and its Cluster, the
 * Machines it owns with their InfraMachines and KubeadmConfigs, which are up to date, and what the phases found out on
 * the way (preflight results, a missing template, why deletion waits).
 */
public final class ControlPlaneScope {
  private final KubeadmControlPlane kcp;
  private final Cluster cluster;
  private final List<Machine> machines;
  private final Map<String, GenericKubernetesResource> infraMachines;
  private final Map<String, KubeadmConfig> kubeadmConfigs;
  private final Map<String, UpToDateCheck.Result> upToDate;
  private final Instant reconciliationTime;

  private PreflightResult preflight = PreflightResult.PASSED;
  private boolean infraMachineTemplateNotFound;
  private String deletingReason = "";
  private String deletingMessage = "";
  private String machineCreationFailure = "";
  private final WorkloadClusters workloads;
  private WorkloadCluster workload;
  private List<Node> nodes = List.of();
  private Optional<String> nodeListError = Optional.empty();
  private EtcdInspection.Result etcd;

  ControlPlaneScope(
      KubeadmControlPlane kcp,
      Cluster cluster,
      List<Machine> machines,
      Map<String, GenericKubernetesResource> infraMachines,
      Map<String, KubeadmConfig> kubeadmConfigs,
      Map<String, UpToDateCheck.Result> upToDate,
      Instant reconciliationTime,
      WorkloadClusters workloads) {
    this.workloads = workloads;
    this.kcp = kcp;
    this.cluster = cluster;
    this.machines = List.copyOf(machines);
    this.infraMachines = Map.copyOf(infraMachines);
    this.kubeadmConfigs = Map.copyOf(kubeadmConfigs);
    this.upToDate = Map.copyOf(upToDate);
    this.reconciliationTime = reconciliationTime;
  }

  public KubeadmControlPlane kcp() {
    return kcp;
  }

  public Cluster cluster() {
    return cluster;
  }

  public String namespace() {
    return kcp.getMetadata().getNamespace();
  }

  public String clusterName() {
    return cluster.getMetadata().getName();
  }

  public List<Machine> machines() {
    return machines;
  }

  public Optional<GenericKubernetesResource> infraMachine(String machineName) {
    return Optional.ofNullable(infraMachines.get(machineName));
  }

  public Optional<KubeadmConfig> kubeadmConfig(String machineName) {
    return Optional.ofNullable(kubeadmConfigs.get(machineName));
  }

  public Map<String, KubeadmConfig> kubeadmConfigs() {
    return kubeadmConfigs;
  }

  public UpToDateCheck.Result upToDate(String machineName) {
    return upToDate.getOrDefault(machineName, UpToDateCheck.Result.UP_TO_DATE);
  }

  public Instant reconciliationTime() {
    return reconciliationTime;
  }

  public boolean etcdManaged() {
    return DesiredMachine.etcdManaged(kcp);
  }

  /** The decision view of the Machines. */
  public ControlPlaneMachines controlPlaneMachines() {
    Set<String> outdated = new HashSet<>();
    upToDate.forEach((name, result) -> {
      if (!result.upToDate()) outdated.add(name);
    });
    List<FailureDomain> all =
        cluster.getStatus() == null ? null : cluster.getStatus().failureDomains;
    return new ControlPlaneMachines(machines, outdated, ControlPlaneMachines.controlPlaneDomains(all), etcdManaged());
  }

  /** What the preflight checks read besides the Machines. */
  public PreflightChecks.Inputs preflightInputs() {
    Map<String, String> annotations = kcp.getMetadata().getAnnotations();
    return new PreflightChecks.Inputs(
        Conditions.isTrue(kcp.getStatus() == null ? null : kcp.getStatus().conditions,
            ControlPlaneConditions.CERTIFICATES_AVAILABLE),
        PreflightChecks.pendingTopologyVersion(cluster, kcp.getSpec().version),
        annotations != null && annotations.containsKey(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION),
        etcdMembers().orElse(List.of()),
        etcdAlarms());
  }

  public PreflightResult preflight() {
    return preflight;
  }

  void preflight(PreflightResult result) {
    this.preflight = result;
  }

  public boolean infraMachineTemplateNotFound() {
    return infraMachineTemplateNotFound;
  }

  void infraMachineTemplateNotFound(boolean notFound) {
    this.infraMachineTemplateNotFound = notFound;
  }

  /** Why creating a Machine failed in this reconcile; empty when it did not. */
  public String machineCreationFailure() {
    return machineCreationFailure;
  }

  void machineCreationFailure(String message) {
    this.machineCreationFailure = message;
  }

  public String deletingReason() {
    return deletingReason;
  }

  public String deletingMessage() {
    return deletingMessage;
  }

  void deleting(String reason, String message) {
    this.deletingReason = reason;
    this.deletingMessage = message;
  }

  /**
   * The workload cluster (upstream {@code GetWorkloadCluster}), opened on first use.
   *
   * @throws WorkloadClusters.NotConnectedException while it has no kubeconfig secret
   */
  public WorkloadCluster workload() {
    if (workload == null) {
      var config = kcp.getSpec().kubeadmConfigSpec == null ? null : kcp.getSpec().kubeadmConfigSpec.clusterConfiguration;
      workload = workloads.get(namespace(), clusterName(),
          KeyAlgorithm.fromApi(config == null ? null : config.encryptionAlgorithm));
    }
    return workload;
  }

  /** The Nodes of the Machines, as the health inspection found them. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Why the control plane Nodes could not be listed; without them etcd cannot be reached. */
  public Optional<String> nodeListError() {
    return nodeListError;
  }

  void nodes(List<Node> found, Optional<String> listError) {
    this.nodes = List.copyOf(found);
    this.nodeListError = listError;
  }

  void etcd(EtcdInspection.Result result) {
    this.etcd = result;
  }

  /** The etcd members as the health inspection read them; empty when they were not read. */
  public Optional<List<EtcdMember>> etcdMembers() {
    return etcd == null || etcd.members() == null ? Optional.empty() : Optional.of(etcd.members());
  }

  public Optional<EtcdMember> etcdLeader() {
    return etcd == null ? Optional.empty() : etcd.leader();
  }

  public List<EtcdAlarm> etcdAlarms() {
    return etcd == null ? List.of() : etcd.alarms();
  }

  /** Whether etcd members and Machines match one to one (false when members were not read). */
  public boolean etcdMembersAndMachinesMatching() {
    return etcd != null && etcd.membersAndMachinesMatching();
  }
}
