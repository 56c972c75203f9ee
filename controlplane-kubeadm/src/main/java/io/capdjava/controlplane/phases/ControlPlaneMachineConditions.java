package io.capdjava.controlplane.phases;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.UpToDateCheck;
import io.capdjava.controlplane.status.KcpStatus;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conditions KCP owns on its Machines (upstream {@code reconcileControlPlaneAndMachinesConditions} and
 * {@code reconcileMachineUpToDateCondition}): {@code UpToDate} from the rollout check, and the health of the node's
 * kubeadm labels, static pods and etcd member (which CAPI core's Machine {@code Ready} waits for through the readiness
 * gates). Before the control plane is initialized the health conditions are Unknown, "Waiting for Cluster control
 * plane to be initialized", like upstream. Reading static pods and etcd members from the workload cluster is not
 * implemented yet: after initialization they stay Unknown with a message that says so. Only KCP's conditions are
 * written, with the Machine's resourceVersion, so nothing CAPI core wrote meanwhile is lost.
 */
public final class ControlPlaneMachineConditions {
  static final String WAITING_FOR_INITIALIZATION = "Waiting for Cluster control plane to be initialized";
  static final String INSPECTION_NOT_IMPLEMENTED =
      "Inspecting static pods and etcd members of the workload cluster is not implemented yet";
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMachineConditions.class);

  private final KubernetesClient client;

  public ControlPlaneMachineConditions(KubernetesClient client) {
    this.client = client;
  }

  public void reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    boolean initialized = KcpStatus.initialized(kcp)
        && Conditions.isTrue(KcpStatus.conditions(kcp), ControlPlaneConditions.INITIALIZED);
    String message = initialized ? INSPECTION_NOT_IMPLEMENTED : WAITING_FOR_INITIALIZATION;
    Long generation = kcp.getMetadata().getGeneration();
    KcpStatus.set(kcp, Conditions.of(ControlPlaneConditions.ETCD_CLUSTER_HEALTHY, Conditions.UNKNOWN,
        ControlPlaneConditions.INSPECTION_FAILED_REASON, message, generation));
    KcpStatus.set(kcp, Conditions.of(ControlPlaneConditions.CONTROL_PLANE_COMPONENTS_HEALTHY, Conditions.UNKNOWN,
        ControlPlaneConditions.INSPECTION_FAILED_REASON, message, generation));

    for (Machine machine : scope.machines()) {
      List<Condition> desired = new ArrayList<>();
      desired.add(upToDate(machine, scope.upToDate(MachineFacts.name(machine))));
      Long machineGeneration = machine.getMetadata().getGeneration();
      desired.add(Conditions.of(ControlPlaneConditions.MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET,
          Conditions.UNKNOWN, ControlPlaneConditions.INSPECTION_FAILED_REASON, message, machineGeneration));
      for (String type : ControlPlaneConditions.componentHealthConditions(scope.etcdManaged())) {
        desired.add(Conditions.of(type, Conditions.UNKNOWN, ControlPlaneConditions.INSPECTION_FAILED_REASON,
            message, machineGeneration));
      }
      patch(machine, desired);
    }
  }

  /** Upstream {@code reconcileMachineUpToDateCondition}, without in-place updates. */
  static Condition upToDate(Machine machine, UpToDateCheck.Result result) {
    Long generation = machine.getMetadata().getGeneration();
    if (!result.upToDate()) {
      String message = String.join("\n", result.conditionMessages().stream().map(m -> "* " + m).toList());
      return Conditions.isFalse(Contract.MachineCondition.UP_TO_DATE,
          ControlPlaneConditions.MACHINE_NOT_UP_TO_DATE_REASON, message, generation);
    }
    Optional<String> kubelet = MachineFacts.kubeletVersion(machine);
    if (kubelet.isPresent() && !kubelet.get().equals(MachineFacts.version(machine))) {
      return Conditions.isFalse(Contract.MachineCondition.UP_TO_DATE, ControlPlaneConditions.MACHINE_UPDATING_REASON,
          "* Node.status.nodeInfo.kubeletVersion " + kubelet.get() + ", " + MachineFacts.version(machine)
              + " required", generation);
    }
    return Conditions.isTrue(Contract.MachineCondition.UP_TO_DATE, ControlPlaneConditions.MACHINE_UP_TO_DATE_REASON,
        generation);
  }

  private void patch(Machine machine, List<Condition> desired) {
    if (machine.getStatus() == null) machine.setStatus(new MachineStatus());
    JsonNode before = Serialization.jsonMapper().valueToTree(machine.getStatus().conditions);
    for (Condition c : desired) machine.getStatus().conditions = Conditions.set(machine.getStatus().conditions, c);
    if (Objects.equals(before, Serialization.jsonMapper().valueToTree(machine.getStatus().conditions))) return;
    try {
      Machine updated = client.resource(machine).updateStatus();
      machine.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      // CAPI core wrote the Machine meanwhile: the next reconcile sets the conditions on the newer version
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) throw e;
      LOG.debug("Machine {} changed while setting its conditions; retrying on the next reconcile",
          machine.getMetadata().getName());
    }
  }
}
