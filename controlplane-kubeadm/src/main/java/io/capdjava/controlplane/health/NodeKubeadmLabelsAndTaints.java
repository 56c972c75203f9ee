package io.capdjava.controlplane.health;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a control plane Node kept what kubeadm gave it (upstream {@code updateNodeCondition} and
 * {@code DefaultTaintIsMissing}): the {@code node-role.kubernetes.io/control-plane} label, and its
 * {@code NoSchedule} taint when that is expected, i.e. when the Machine's taints name it, or kubeadm's node
 * registration leaves taints unset (kubeadm then adds it) or lists it.
 */
public final class NodeKubeadmLabelsAndTaints {
  private NodeKubeadmLabelsAndTaints() {}

  public static StaticPodHealth.Verdict of(Machine machine, Node node, Optional<KubeadmConfig> config) {
    String nodeName = MachineFacts.nodeName(machine).orElse(NodeFacts.name(node));
    String taint = NodeFacts.CONTROL_PLANE_ROLE + ":NoSchedule";
    String message = "";
    if (!NodeFacts.hasControlPlaneLabel(node)) {
      message = "Node " + nodeName + " does not have the " + NodeFacts.CONTROL_PLANE_ROLE + " label";
    }
    if (taintExpected(machine, config) && !NodeFacts.hasControlPlaneTaint(node)) {
      message = message.isEmpty() ? "Node " + nodeName + " does not have the " + taint + " taint"
          : message + " and the " + taint + " taint";
    }
    if (!message.isEmpty()) {
      return new StaticPodHealth.Verdict(Conditions.FALSE,
          ControlPlaneConditions.MACHINE_LABELS_AND_TAINTS_NOT_SET_REASON, message);
    }
    return new StaticPodHealth.Verdict(Conditions.TRUE, ControlPlaneConditions.MACHINE_LABELS_AND_TAINTS_SET_REASON, "");
  }

  static boolean taintExpected(Machine machine, Optional<KubeadmConfig> config) {
    if (machine.getSpec() != null && machine.getSpec().getUnknownFields().get("taints") instanceof List<?> taints
        && taints.stream().anyMatch(t -> t instanceof Map<?, ?> m
            && NodeFacts.CONTROL_PLANE_ROLE.equals(m.get("key")) && "NoSchedule".equals(m.get("effect")))) {
      return true;
    }
    if (config.isEmpty() || config.get().getSpec() == null) return false;
    var spec = config.get().getSpec();
    boolean join = spec.joinConfiguration != null && (spec.joinConfiguration.controlPlane != null
        || (spec.joinConfiguration.nodeRegistration != null
            && spec.joinConfiguration.nodeRegistration.kubeletExtraArgs != null
            && !spec.joinConfiguration.nodeRegistration.kubeletExtraArgs.isEmpty()));
    NodeRegistrationOptions registration = join ? spec.joinConfiguration.nodeRegistration
        : spec.initConfiguration == null ? null : spec.initConfiguration.nodeRegistration;
    List<Taint> kubeadmTaints = registration == null ? null : registration.taints;
    // kubeadm adds the taint itself when none are given
    if (kubeadmTaints == null) return true;
    return kubeadmTaints.stream()
        .anyMatch(t -> NodeFacts.CONTROL_PLANE_ROLE.equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
  }
}
