package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import java.util.Collection;

/**
 * Whether at least one Machine keeps a full set of healthy control plane components after adding and/or removing a
 * Machine (upstream {@code targetKubernetesControlPlaneComponentsHealthy}). kubeadm wires the API server to the local
 * etcd and the controller manager and scheduler to the local API server, so a Machine counts only when all its
 * components (and its etcd pod, with stacked etcd) are healthy. An added Machine counts as unhealthy unless it is the
 * first one.
 */
public final class ControlPlaneComponentsProjection {
  private ControlPlaneComponentsProjection() {}

  public static boolean canSafelyTransition(
      Collection<Machine> machines, boolean etcdManaged, boolean addMachine, String machineToRemove) {
    int healthy = addMachine && machines.isEmpty() ? 1 : 0;
    for (Machine machine : machines) {
      if (MachineFacts.name(machine).equals(machineToRemove)) continue;
      boolean componentsHealthy =
          MachineFacts.isTrue(machine, ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY)
              && MachineFacts.isTrue(machine, ControlPlaneConditions.MACHINE_CONTROLLER_MANAGER_POD_HEALTHY)
              && MachineFacts.isTrue(machine, ControlPlaneConditions.MACHINE_SCHEDULER_POD_HEALTHY)
              && (!etcdManaged || MachineFacts.isTrue(machine, ControlPlaneConditions.MACHINE_ETCD_POD_HEALTHY));
      if (componentsHealthy) healthy++;
    }
    return healthy >= 1;
  }
}
