package io.capdjava.controlplane.machines;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Optional;

/**
 * What a reconcile does with the Machines once everything else is settled (the tail of upstream {@code reconcile}
 * and {@code rollingUpdate}). A rollout comes first: while Machines need it, KCP scales up to
 * {@code replicas + maxSurge} and then removes outdated Machines one at a time. Otherwise the first Machine is created
 * with {@code kubeadm init}, further ones join one at a time, and surplus Machines are removed one at a time.
 */
public final class ScaleDecision {
  private ScaleDecision() {}

  /** The next step; {@code rollout} marks steps taken to replace outdated Machines. */
  public sealed interface Operation {}

  public record Initialize() implements Operation {}

  public record ScaleUp(boolean rollout) implements Operation {}

  public record ScaleDown(Machine machine, boolean rollout) implements Operation {}

  public record Steady() implements Operation {}

  public static Operation decide(ControlPlaneMachines controlPlane, int desiredReplicas, int maxSurge) {
    List<Machine> needingRollout = controlPlane.machinesNeedingRollout();
    int current = controlPlane.size();
    if (!needingRollout.isEmpty()) {
      if (current < desiredReplicas + maxSurge) return new ScaleUp(true);
      return select(controlPlane, needingRollout, true);
    }
    if (current < desiredReplicas && current == 0) return new Initialize();
    if (current < desiredReplicas) return new ScaleUp(false);
    if (current > desiredReplicas) return select(controlPlane, List.of(), false);
    return new Steady();
  }

  private static Operation select(ControlPlaneMachines controlPlane, List<Machine> outdated, boolean rollout) {
    Optional<Machine> machine = ScaleDownSelection.select(controlPlane, outdated);
    return machine.<Operation>map(m -> new ScaleDown(m, rollout)).orElseGet(Steady::new);
  }

  /**
   * {@code rollout.strategy.rollingUpdate.maxSurge}: 1 when unset (upstream's default); a string is read as an
   * integer and is 0 when it is not one (upstream {@code IntOrString.IntValue}).
   */
  public static int maxSurge(KubeadmControlPlane kcp) {
    var rollout = kcp.getSpec().rollout;
    IntOrString maxSurge = rollout == null || rollout.strategy == null || rollout.strategy.rollingUpdate == null
        ? null : rollout.strategy.rollingUpdate.maxSurge;
    if (maxSurge == null) return 1;
    if (maxSurge.getIntVal() != null) return maxSurge.getIntVal();
    try {
      return Integer.parseInt(maxSurge.getStrVal().trim());
    } catch (NumberFormatException | NullPointerException e) {
      return 0;
    }
  }
}
