package io.capdjava.controlplane.phases;

import io.capdjava.core.ClusterReadiness;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.desired.ContractApiVersions;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.UpToDateCheck;
import io.capdjava.controlplane.workload.WorkloadClusters;
import io.capdjava.core.Contract;
import io.capdjava.core.reconcile.EventRecorder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link ControlPlaneScope} from the API server (upstream {@code initControlPlaneScope} and
 * {@code NewControlPlane}): the control plane Machines of the Cluster, their InfraMachines and KubeadmConfigs, and
 * whether each is up to date. Until the Cluster's infrastructure is provisioned and it has an endpoint there are no
 * Machines to look at.
 */
public final class ControlPlaneScopeReader {
  private final KubernetesClient client;
  private final WorkloadClusters workloads;
  private final MachineAdoption adoption;

  public ControlPlaneScopeReader(KubernetesClient client, WorkloadClusters workloads, EventRecorder events) {
    this.client = client;
    this.workloads = workloads;
    this.adoption = new MachineAdoption(client, events);
  }

  /** Control plane Machines of the Cluster that this KCP does not control; KCP refuses to share them. */
  public static final class MixedManagementException extends IllegalStateException {
    MixedManagementException(String message) {
      super(message);
    }
  }

  public ControlPlaneScope read(KubeadmControlPlane kcp, Cluster cluster, Instant now) {
    boolean deleting = kcp.isMarkedForDeletion();
    if (!ClusterReadiness.infrastructureProvisioned(cluster) || !ClusterReadiness.endpointValid(cluster)) {
      return new ControlPlaneScope(kcp, cluster, List.of(), Map.of(), Map.of(), Map.of(), now, workloads);
    }
    String namespace = kcp.getMetadata().getNamespace();
    String clusterName = cluster.getMetadata().getName();
    List<Machine> all = controlPlaneMachines(client, namespace, clusterName);
    List<Machine> adoptable = deleting ? List.of() : MachineAdoption.adoptable(all);
    if (!adoptable.isEmpty()) {
      if (!adoption.adopt(kcp, clusterName, adoptable)) {
        throw new MixedManagementException("not adopting control plane Machines "
            + String.join(", ", adoptable.stream().map(MachineFacts::name).sorted().toList())
            + ": a version is outside +/- one minor of the KubeadmControlPlane's " + kcp.getSpec().version);
      }
      all = controlPlaneMachines(client, namespace, clusterName);
    }
    List<Machine> owned = all.stream().filter(m -> controlledBy(m, kcp)).toList();
    if (!deleting && owned.size() != all.size()) {
      List<String> foreign = all.stream().filter(m -> !controlledBy(m, kcp)).map(MachineFacts::name).sorted().toList();
      throw new MixedManagementException("not all control plane machines are owned by this KubeadmControlPlane,"
          + " refusing to operate in mixed management mode (Machines " + String.join(", ", foreign)
          + " have another controller)");
    }
    if (!deleting) adoption.updateStaleControllerReferences(kcp, owned);

    Map<String, GenericKubernetesResource> infraMachines = new LinkedHashMap<>();
    Map<String, KubeadmConfig> kubeadmConfigs = new LinkedHashMap<>();
    Map<String, String> apiVersions = new HashMap<>();
    for (Machine machine : owned) {
      ContractVersionedObjectReference infra = machine.getSpec().infrastructureRef;
      if (infra != null && infra.isDefined()) {
        String apiVersion = apiVersions.computeIfAbsent(infra.apiGroup + "/" + infra.kind,
            k -> ContractApiVersions.apiVersion(client, infra.apiGroup, infra.kind));
        GenericKubernetesResource r = client.genericKubernetesResources(apiVersion, infra.kind)
            .inNamespace(machine.getMetadata().getNamespace()).withName(infra.name).get();
        if (r != null) infraMachines.put(MachineFacts.name(machine), r);
      }
      ContractVersionedObjectReference bootstrap =
          machine.getSpec().bootstrap == null ? null : machine.getSpec().bootstrap.configRef;
      if (bootstrap != null && bootstrap.isDefined()) {
        KubeadmConfig config = client.resources(KubeadmConfig.class)
            .inNamespace(machine.getMetadata().getNamespace()).withName(bootstrap.name).get();
        if (config != null) kubeadmConfigs.put(MachineFacts.name(machine), config);
      }
    }

    Map<String, UpToDateCheck.Result> upToDate = new LinkedHashMap<>();
    for (Machine machine : owned) {
      String name = MachineFacts.name(machine);
      upToDate.put(name, UpToDateCheck.check(machine, kcp, now,
          Optional.ofNullable(infraMachines.get(name)),
          Optional.ofNullable(kubeadmConfigs.get(name))));
    }
    return new ControlPlaneScope(kcp, cluster, owned, infraMachines, kubeadmConfigs, upToDate, now, workloads);
  }

  /** Machines labelled with the cluster's name and the control plane marker. */
  static List<Machine> controlPlaneMachines(KubernetesClient client, String namespace, String cluster) {
    return client.resources(Machine.class).inNamespace(namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster)
        .withLabel(Contract.Label.CONTROL_PLANE)
        .list().getItems();
  }

  static boolean controlledBy(Machine machine, KubeadmControlPlane kcp) {
    List<OwnerReference> refs = machine.getMetadata().getOwnerReferences();
    if (refs == null) return false;
    return refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController())
        && kcp.getKind().equals(r.getKind())
        && kcp.getMetadata().getUid().equals(r.getUid()));
  }
}
