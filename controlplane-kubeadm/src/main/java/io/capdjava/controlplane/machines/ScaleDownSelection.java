package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Machine;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which Machine to remove when scaling down or rolling out (upstream {@code selectMachineForInPlaceUpdateOrScaleDown}).
 * The eligible set is the first non-empty of: outdated Machines with the {@code cluster.x-k8s.io/delete-machine}
 * annotation, any Machine with it, outdated Machines with unhealthy control plane components, outdated Machines, all
 * Machines. From it, the oldest Machine in the failure domain with most Machines is taken.
 */
public final class ScaleDownSelection {
  private ScaleDownSelection() {}

  public static Optional<Machine> select(ControlPlaneMachines controlPlane, Collection<Machine> outdated) {
    List<Machine> eligible = eligible(controlPlane, outdated);
    return controlPlane.oldestInFailureDomainWithMostMachines(eligible);
  }

  static List<Machine> eligible(ControlPlaneMachines controlPlane, Collection<Machine> outdated) {
    List<Machine> annotatedOutdated = controlPlane.withDeleteAnnotation(outdated);
    if (!annotatedOutdated.isEmpty()) return annotatedOutdated;
    List<Machine> annotated = controlPlane.withDeleteAnnotation(controlPlane.machines());
    if (!annotated.isEmpty()) return annotated;
    List<Machine> unhealthyOutdated = controlPlane.withUnhealthyComponents(outdated);
    if (!unhealthyOutdated.isEmpty()) return unhealthyOutdated;
    if (!outdated.isEmpty()) return List.copyOf(outdated);
    return controlPlane.machines();
  }
}
