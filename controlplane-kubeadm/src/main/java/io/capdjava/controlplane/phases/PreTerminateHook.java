package io.capdjava.controlplane.phases;

import io.capdjava.core.CrashPoints;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.KubernetesVersion;
import io.capdjava.controlplane.machines.ControlPlaneComponentsProjection;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.EtcdQuorumProjection;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.PreflightResult;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pre-terminate.delete.hook.machine.cluster.x-k8s.io/kcp-cleanup} hook on deleting Machines (upstream
 * {@code reconcilePreTerminateHook}). CAPI core drains the Node, then waits ({@code Deleting} reason
 * {@code WaitingForPreTerminateHook}) before deleting the infrastructure. One Machine at a time (oldest deletion
 * first), after any other pre-terminate hook (Kubernetes ≥ 1.31), KCP releases the hook: for the last Machine and
 * with external etcd right away (when another Machine keeps healthy control plane components); with stacked etcd
 * after moving the etcd leader away and removing the Machine's member, provided the rest keeps quorum.
 */
public final class PreTerminateHook {
  static final String WAITING_FOR_PRE_TERMINATE_HOOK_REASON = "WaitingForPreTerminateHook";
  private static final Logger LOG = LoggerFactory.getLogger(PreTerminateHook.class);

  private final KubernetesClient client;
  private final EtcdLeadership leadership;

  public PreTerminateHook(KubernetesClient client, EtcdLeadership leadership) {
    this.client = client;
    this.leadership = leadership;
  }

  /** A delay while a deleting Machine is handled (the reconcile stops there), empty when none is deleting. */
  public Optional<Duration> reconcile(ControlPlaneScope scope) {
    List<Machine> deleting = scope.machines().stream().filter(MachineFacts::isDeleting).toList();
    if (deleting.isEmpty()) return Optional.empty();
    Optional<Duration> wait = Optional.of(PreflightResult.DELETE_REQUEUE);
    // a deleting Machine without the hook goes first, on its own
    if (deleting.stream().anyMatch(m -> !MachineFacts.hasAnnotation(m, hook()))) return wait;

    Machine machine = deleting.stream()
        .min(Comparator.comparing((Machine m) -> MachineFacts.deletionRequested(m).orElseThrow())
            .thenComparing(MachineFacts::name))
        .orElseThrow();
    String name = MachineFacts.name(machine);
    KubernetesVersion version = KubernetesVersion.tryParse(scope.kcp().getSpec().version).orElseThrow(() ->
        new IllegalArgumentException("spec.version: failed to parse Kubernetes version \""
            + scope.kcp().getSpec().version + "\""));
    // KCP's hook runs last, so the kubelet still works while other hooks run
    if (version.compareIgnoringPreRelease(1, 31, 0) >= 0 && hasOtherPreTerminateHooks(machine)) return wait;
    boolean waitingForHook = MachineFacts.condition(machine, Contract.MachineCondition.DELETING)
        .map(c -> Conditions.TRUE.equals(c.getStatus()) && WAITING_FOR_PRE_TERMINATE_HOOK_REASON.equals(c.getReason()))
        .orElse(false);
    if (!waitingForHook) return wait;

    if (scope.machines().size() <= 1) {
      removeHook(machine);
      return wait;
    }
    if (!ControlPlaneComponentsProjection.canSafelyTransition(scope.machines(), scope.etcdManaged(), false, name)) {
      LOG.info("Cannot delete control plane Machine {}/{} when there are no control plane Machines with all Kubernetes"
          + " control plane components in healthy state. Please check Kubernetes control plane component status",
          scope.namespace(), name);
      return wait;
    }
    if (!scope.etcdManaged()) {
      removeHook(machine);
      return wait;
    }

    if (scope.nodeListError().isPresent()) {
      throw new IllegalStateException("unable to remove pre-terminate hook: " + scope.nodeListError().get());
    }
    List<EtcdMember> members = scope.etcdMembers().orElse(List.of());
    if (members.isEmpty()) throw new IllegalStateException("unable to remove pre-terminate hook, etcd member list is empty");
    Optional<String> memberName = etcdMemberName(scope, machine);
    // no member name (no Node yet, or no member started): nothing to remove; etcd member reconciliation cleans up
    if (memberName.isEmpty()) {
      removeHook(machine);
      return wait;
    }
    if (!EtcdQuorumProjection.canSafelyTransition(members, scope.machines(), scope.etcdAlarms(), false,
        memberName.get())) {
      LOG.info("Cannot delete control plane Machine {}/{}, the operation can lead to etcd quorum loss. Please check the"
          + " etcd status", scope.namespace(), name);
      return wait;
    }
    // the leader was moved before the deletion; again in case it came back or the Machine was deleted by hand
    leadership.moveAwayFrom(scope, machine);
    Optional<EtcdMember> member = members.stream().filter(m -> m.name().equals(memberName.get())).findFirst();
    if (member.isPresent()) {
      try {
        EtcdMemberRemoval.remove(scope.workload(), member.get(), scope.nodes());
      } catch (RuntimeException e) {
        throw new IllegalStateException("failed to remove etcd member for deleting Machine " + scope.namespace() + "/"
            + name + ": " + e.getMessage(), e);
      }
      CrashPoints.reach("KubeadmControlPlane/etcd-member-removed");
      LOG.info("Removed etcd member {} of deleting Machine {}/{}", memberName.get(), scope.namespace(), name);
    }
    removeHook(machine);
    return wait;
  }

  /** Upstream {@code tryGetEtcdMemberName}: the Node's name, found by providerID when the Machine has no nodeRef. */
  static Optional<String> etcdMemberName(ControlPlaneScope scope, Machine machine) {
    Optional<String> node = MachineFacts.nodeName(machine);
    if (node.isPresent()) return node;
    String providerId = MachineFacts.hasProviderId(machine) ? machine.getSpec().providerID
        : scope.infraMachine(MachineFacts.name(machine))
            .map(i -> i.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("providerID") instanceof String s ? s : "")
            .orElse("");
    if (providerId.isEmpty()) return Optional.empty();
    try {
      List<Node> nodes = scope.workload().nodesWithProviderId(providerId);
      return nodes.size() == 1 ? Optional.of(nodes.get(0).getMetadata().getName()) : Optional.empty();
    } catch (RuntimeException e) {
      LOG.warn("Failed to get the Node of Machine {} while looking for its etcd member: {}", MachineFacts.name(machine),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Removes the hook so CAPI core proceeds (also used when the whole control plane is deleted). */
  void removeHook(Machine machine) {
    if (!MachineFacts.hasAnnotation(machine, hook())) return;
    client.resource(machine).edit(m -> {
      m.getMetadata().getAnnotations().remove(hook());
      return m;
    });
    LOG.info("Removed the {} hook from Machine {}/{}", hook(), machine.getMetadata().getNamespace(),
        MachineFacts.name(machine));
  }

  static boolean hasOtherPreTerminateHooks(Machine machine) {
    Map<String, String> annotations = machine.getMetadata().getAnnotations();
    if (annotations == null) return false;
    return annotations.keySet().stream()
        .anyMatch(k -> k.startsWith(Contract.Annotation.PRE_TERMINATE_HOOK_PREFIX) && !k.equals(hook()));
  }

  private static String hook() {
    return KubeadmControlPlane.PRE_TERMINATE_HOOK_CLEANUP_ANNOTATION;
  }
}
