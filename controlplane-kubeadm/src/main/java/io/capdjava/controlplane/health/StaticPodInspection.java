package io.capdjava.controlplane.health;

import static io.capdjava.controlplane.ControlPlaneConditions.INSPECTION_FAILED_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_DELETING_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.workload.WorkloadCluster;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of the control plane components on each Machine, read from the workload cluster (upstream
 * {@code UpdateStaticPodConditions}): per Machine the {@code NodeKubeadmLabelsAndTaintsSet} condition and one
 * condition per static pod; for the KCP {@code ControlPlaneComponentsHealthy}, which also flags control plane Nodes
 * that no Machine owns. Best effort: what cannot be read becomes Unknown, never an error.
 */
public final class StaticPodInspection {
  private static final Logger LOG = LoggerFactory.getLogger(StaticPodInspection.class);
  private static final Map<String, String> COMPONENTS = Map.of(
      ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY, "kube-apiserver",
      ControlPlaneConditions.MACHINE_CONTROLLER_MANAGER_POD_HEALTHY, "kube-controller-manager",
      ControlPlaneConditions.MACHINE_SCHEDULER_POD_HEALTHY, "kube-scheduler",
      ControlPlaneConditions.MACHINE_ETCD_POD_HEALTHY, "etcd");

  private StaticPodInspection() {}

  /**
   * @param nodes the Nodes of the Machines that have one (for reaching etcd)
   * @param nodeListError why the control plane Nodes could not be listed; empty when they could
   * @param componentsHealthy the KCP's {@code ControlPlaneComponentsHealthy}
   */
  public record Result(List<Node> nodes, Optional<String> nodeListError, Condition componentsHealthy) {}

  /**
   * @param controlPlaneNodes the Nodes labelled as control plane; null when listing them failed
   * @param nodeListError why listing them failed
   */
  public static Result inspect(
      List<Machine> machines, boolean etcdManaged, Map<String, KubeadmConfig> kubeadmConfigs,
      WorkloadCluster workload, List<Node> controlPlaneNodes, String nodeListError, Long kcpGeneration) {
    List<String> podConditions = ControlPlaneConditions.staticPodConditions(etcdManaged);
    if (controlPlaneNodes == null) {
      for (Machine machine : machines) {
        MachineConditions.set(machine, MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET, Conditions.UNKNOWN,
            INSPECTION_FAILED_REASON, "Failed to get the Node");
        for (String type : podConditions) {
          MachineConditions.set(machine, type, Conditions.UNKNOWN, INSPECTION_FAILED_REASON,
              "Failed to get the Node hosting the Pod: " + nodeListError);
        }
      }
      return new Result(List.of(), Optional.of("failed to list control plane nodes: " + nodeListError), Conditions.of(
          ControlPlaneConditions.CONTROL_PLANE_COMPONENTS_HEALTHY, Conditions.UNKNOWN, INSPECTION_FAILED_REASON,
          "Failed to get Nodes hosting control plane components: " + nodeListError, kcpGeneration));
    }

    List<Node> nodes = new ArrayList<>();
    boolean provisioning = false;
    for (Machine machine : machines) {
      Optional<String> nodeName = MachineFacts.nodeName(machine);
      Optional<Node> node = nodeName.flatMap(name -> controlPlaneNodes.stream()
          .filter(n -> NodeFacts.name(n).equals(name)).findFirst());
      // a Node without the control plane label still tells about the components on it
      if (node.isEmpty() && nodeName.isPresent()) node = nodeByName(workload, nodeName.get());
      node.ifPresent(nodes::add);

      if (MachineFacts.isDeleting(machine)) {
        if (node.isPresent()) {
          MachineConditions.set(machine, MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET,
              NodeKubeadmLabelsAndTaints.of(machine, node.get(), Optional.ofNullable(kubeadmConfigs.get(MachineFacts.name(machine)))));
        } else {
          MachineConditions.set(machine, MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET, Conditions.FALSE,
              MACHINE_DELETING_REASON, "Machine is deleting");
        }
        for (String type : podConditions) {
          MachineConditions.set(machine, type, Conditions.FALSE, MACHINE_DELETING_REASON, "Machine is deleting");
        }
        continue;
      }
      if (nodeName.isEmpty()) {
        provisioning = true;
        setAllUnknown(machine, podConditions, waitingForNode(machine));
        continue;
      }
      if (node.isEmpty()) {
        setAllUnknown(machine, podConditions, "Node " + nodeName.get() + " does not exist");
        continue;
      }
      if (NodeFacts.unreachable(node.get())) {
        // the kubelet stopped reporting: what the mirror pods say may be stale
        setAllUnknown(machine, podConditions, "Node " + nodeName.get() + " is unreachable");
        continue;
      }
      for (String type : podConditions) {
        String pod = StaticPodHealth.podName(COMPONENTS.get(type), nodeName.get());
        Optional<Pod> found;
        try {
          found = workload.kubeSystemPod(pod);
        } catch (RuntimeException e) {
          LOG.error("Failed to get Pod kube-system/{}: {}", pod, e.getMessage());
          MachineConditions.set(machine, type, Conditions.UNKNOWN, INSPECTION_FAILED_REASON,
              "Please check controller logs for errors");
          continue;
        }
        StaticPodHealth.of(node.get(), found).ifPresent(v -> MachineConditions.set(machine, type, v));
      }
      MachineConditions.set(machine, MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET,
          NodeKubeadmLabelsAndTaints.of(machine, node.get(), Optional.ofNullable(kubeadmConfigs.get(MachineFacts.name(machine)))));
    }

    List<String> kcpErrors = new ArrayList<>();
    // while a Machine has no Node yet, a Node without Machine is probably that one
    if (!provisioning) {
      for (Node n : controlPlaneNodes) {
        boolean owned = machines.stream().anyMatch(m -> MachineFacts.nodeName(m).filter(NodeFacts.name(n)::equals)
            .isPresent());
        if (!owned) kcpErrors.add("Control plane Node " + NodeFacts.name(n) + " does not have a corresponding Machine");
      }
    }
    Condition aggregate = MachinesToControlPlaneCondition.aggregate(machines, podConditions, kcpErrors,
        new MachinesToControlPlaneCondition.Target(ControlPlaneConditions.CONTROL_PLANE_COMPONENTS_HEALTHY,
            ControlPlaneConditions.HEALTHY_REASON, ControlPlaneConditions.NOT_HEALTHY_REASON,
            ControlPlaneConditions.HEALTH_UNKNOWN_REASON, "control plane"),
        kcpGeneration);
    return new Result(nodes, Optional.empty(), aggregate);
  }

  /** Upstream's message for a Machine still provisioning. */
  static String waitingForNode(Machine machine) {
    if (MachineFacts.hasProviderId(machine)) {
      return "Waiting for a Node with spec.providerID " + machine.getSpec().providerID + " to exist";
    }
    String kind = machine.getSpec() == null || machine.getSpec().infrastructureRef == null
        ? "InfrastructureMachine" : machine.getSpec().infrastructureRef.kind;
    return "Waiting for " + kind + " to report spec.providerID";
  }

  private static void setAllUnknown(Machine machine, List<String> podConditions, String message) {
    MachineConditions.set(machine, MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET, Conditions.UNKNOWN,
        INSPECTION_FAILED_REASON, message);
    for (String type : podConditions) {
      MachineConditions.set(machine, type, Conditions.UNKNOWN, INSPECTION_FAILED_REASON, message);
    }
  }

  private static Optional<Node> nodeByName(WorkloadCluster workload, String name) {
    try {
      return workload.node(name);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
