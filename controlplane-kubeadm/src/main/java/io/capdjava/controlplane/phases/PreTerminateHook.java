package io.capdjava.controlplane.phases;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.KubernetesVersion;
import io.capdjava.controlplane.machines.ControlPlaneComponentsProjection;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.PreflightResult;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
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
 * first), after any other pre-terminate hook (Kubernetes ≥ 1.31), KCP releases the hook: for the last Machine and with
 * external etcd right away (when another Machine keeps healthy control plane components), with stacked etcd after
 * removing the Machine's etcd member.
 *
 * <p>NOT IMPLEMENTED YET: removing the etcd member (it needs the workload cluster's etcd). With stacked etcd the hook is
 * kept, so CAPI core keeps waiting and the infrastructure is not deleted while its etcd member is still in the
 * cluster; a warning says so on every reconcile.
 */
public final class PreTerminateHook {
  static final String WAITING_FOR_PRE_TERMINATE_HOOK_REASON = "WaitingForPreTerminateHook";
  private static final Logger LOG = LoggerFactory.getLogger(PreTerminateHook.class);

  private final KubernetesClient client;

  public PreTerminateHook(KubernetesClient client) {
    this.client = client;
  }

  /** A delay while a deleting Machine is handled (the reconcile stops there), empty when none is deleting. */
  public Optional<Duration> reconcile(ControlPlaneScope scope) {
    List<Machine> deleting = scope.machines().stream().filter(MachineFacts::isDeleting).toList();
    if (deleting.isEmpty()) return Optional.empty();
    Duration wait = PreflightResult.DELETE_REQUEUE;
    if (deleting.stream().anyMatch(m -> !MachineFacts.hasAnnotation(m, hook()))) return Optional.of(wait);

    Machine machine = deleting.stream()
        .min(Comparator.comparing((Machine m) -> MachineFacts.deletionRequested(m).orElseThrow())
            .thenComparing(MachineFacts::name))
        .orElseThrow();
    boolean atLeast131 = KubernetesVersion.parse(scope.kcp().getSpec().version)
        .map(v -> v.compareIgnoringPreRelease(1, 31, 0) >= 0).orElse(false);
    if (atLeast131 && hasOtherPreTerminateHooks(machine)) return Optional.of(wait);
    boolean waitingForHook = MachineFacts.condition(machine, Contract.MachineCondition.DELETING)
        .map(c -> Conditions.TRUE.equals(c.getStatus()) && WAITING_FOR_PRE_TERMINATE_HOOK_REASON.equals(c.getReason()))
        .orElse(false);
    if (!waitingForHook) return Optional.of(wait);

    if (scope.machines().size() <= 1) {
      removeHook(machine);
      return Optional.of(wait);
    }
    if (!ControlPlaneComponentsProjection.canSafelyTransition(
        scope.machines(), scope.etcdManaged(), false, MachineFacts.name(machine))) {
      LOG.info("Cannot delete control plane Machine {}/{} when there are no control plane Machines with all Kubernetes"
          + " control plane components in healthy state", scope.namespace(), MachineFacts.name(machine));
      return Optional.of(wait);
    }
    if (!scope.etcdManaged()) {
      removeHook(machine);
      return Optional.of(wait);
    }
    LOG.warn("Keeping the {} hook on Machine {}/{}: removing its etcd member is not implemented yet, so CAPI core"
        + " keeps waiting before deleting its infrastructure", hook(), scope.namespace(), MachineFacts.name(machine));
    return Optional.of(wait);
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
