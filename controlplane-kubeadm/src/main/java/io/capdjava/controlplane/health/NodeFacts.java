package io.capdjava.controlplane.health;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the health checks read from a workload cluster's Node. */
public final class NodeFacts {
  /** The label and taint kubeadm puts on control plane Nodes. */
  public static final String CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane";
  static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

  private NodeFacts() {}

  public static String name(Node node) {
    return node.getMetadata().getName();
  }

  public static Instant created(Node node) {
    String t = node.getMetadata().getCreationTimestamp();
    return t == null || t.isEmpty() ? Instant.now() : Instant.parse(t);
  }

  /** The node lifecycle controller marks a Node whose kubelet stopped reporting unreachable. */
  public static boolean unreachable(Node node) {
    return taints(node).stream().anyMatch(t -> UNREACHABLE_TAINT.equals(t.getKey()) && "NoExecute".equals(t.getEffect()));
  }

  public static boolean readyUnknown(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) return false;
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).findFirst()
        .map(c -> "Unknown".equals(c.getStatus())).orElse(false);
  }

  public static boolean hasControlPlaneLabel(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && labels.containsKey(CONTROL_PLANE_ROLE);
  }

  public static boolean hasControlPlaneTaint(Node node) {
    return taints(node).stream().anyMatch(t -> CONTROL_PLANE_ROLE.equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
  }

  private static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }
}
