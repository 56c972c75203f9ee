package io.capdjava.controlplane.health;

import static io.capdjava.controlplane.ControlPlaneConditions.INSPECTION_FAILED_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_POD_DOES_NOT_EXIST_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_POD_FAILED_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_POD_PROVISIONING_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_POD_RUNNING_REASON;

import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of a control plane component from its kubeadm static pod's mirror pod {@code kube-system/<component>-<node>}
 * (upstream {@code updateStaticPodCondition}): Running and Ready is healthy; Pending, waiting containers and failing
 * probes are Provisioning; crash loops and terminated containers are Failed; a missing pod DoesNotExist. When the Node's
 * Ready condition is Unknown the kubelet is probably not updating the mirror pod, so nothing is concluded.
 */
public final class StaticPodHealth {
  static final String NODE_READY_UNKNOWN = "Node Ready condition is Unknown, Pod data might be stale";

  private StaticPodHealth() {}

  /** The condition's status, reason and message; empty for a pod phase that says nothing (left as it was). */
  public record Verdict(String status, String reason, String message) {}

  /** The mirror pod's name for a component ({@code kube-apiserver}, ...) on a node. */
  public static String podName(String component, String nodeName) {
    return component + "-" + nodeName;
  }

  public static Optional<Verdict> of(Node node, Optional<Pod> pod) {
    if (NodeFacts.readyUnknown(node)) return verdict(Conditions.UNKNOWN, INSPECTION_FAILED_REASON, NODE_READY_UNKNOWN);
    if (pod.isEmpty()) return verdict(Conditions.FALSE, MACHINE_POD_DOES_NOT_EXIST_REASON, "Pod does not exist");
    Pod p = pod.get();
    String phase = p.getStatus() == null || p.getStatus().getPhase() == null ? "" : p.getStatus().getPhase();
    switch (phase) {
      case "Pending":
        // static pods are never scheduled nor have init containers; checked for completeness, as upstream does
        if (!Conditions.TRUE.equals(podCondition(p, "PodScheduled"))) {
          return verdict(Conditions.FALSE, MACHINE_POD_PROVISIONING_REASON, "Waiting to be scheduled");
        }
        if (!Conditions.TRUE.equals(podCondition(p, "Initialized"))) {
          return verdict(Conditions.FALSE, MACHINE_POD_PROVISIONING_REASON, "Running init containers");
        }
        return verdict(Conditions.FALSE, MACHINE_POD_PROVISIONING_REASON, "");
      case "Running":
        return Optional.of(running(p));
      case "Succeeded":
      case "Failed":
        // never expected for control plane components: all containers ended
        return verdict(Conditions.FALSE, MACHINE_POD_FAILED_REASON, "All the containers have been terminated");
      case "Unknown":
        return verdict(Conditions.UNKNOWN, INSPECTION_FAILED_REASON, "Pod is reporting Unknown status");
      default:
        return Optional.empty();
    }
  }

  private static Verdict running(Pod pod) {
    if (Conditions.TRUE.equals(podCondition(pod, "Ready"))) {
      return new Verdict(Conditions.TRUE, MACHINE_POD_RUNNING_REASON, "");
    }
    List<ContainerStatus> containers = pod.getStatus().getContainerStatuses() == null
        ? List.of() : pod.getStatus().getContainerStatuses();
    // a crashing container waits (CrashLoopBackOff) with a last termination that was not clean
    List<String> waiting = new ArrayList<>();
    boolean terminatedWithError = false;
    for (ContainerStatus c : containers) {
      if (c.getLastState() != null && c.getLastState().getTerminated() != null
          && !Objects.equals(c.getLastState().getTerminated().getExitCode(), 0)) {
        terminatedWithError = true;
      }
      if (c.getState() != null && c.getState().getWaiting() != null) waiting.add(reason(c.getState().getWaiting().getReason()));
    }
    if (!waiting.isEmpty()) {
      return new Verdict(Conditions.FALSE,
          terminatedWithError ? MACHINE_POD_FAILED_REASON : MACHINE_POD_PROVISIONING_REASON, String.join(", ", waiting));
    }
    List<String> terminated = new ArrayList<>();
    for (ContainerStatus c : containers) {
      if (c.getState() != null && c.getState().getTerminated() != null) {
        terminated.add(reason(c.getState().getTerminated().getReason()));
      }
    }
    if (!terminated.isEmpty()) return new Verdict(Conditions.FALSE, MACHINE_POD_FAILED_REASON, String.join(", ", terminated));
    return new Verdict(Conditions.FALSE, MACHINE_POD_PROVISIONING_REASON, "Waiting for startup or readiness probes");
  }

  private static String reason(String reason) {
    return reason == null ? "" : reason;
  }

  /** A pod condition's status; Unknown when the pod does not report it. */
  private static String podCondition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return Conditions.UNKNOWN;
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
        .map(PodCondition::getStatus).findFirst().orElse(Conditions.UNKNOWN);
  }

  private static Optional<Verdict> verdict(String status, String reason, String message) {
    return Optional.of(new Verdict(status, reason, message));
  }
}
