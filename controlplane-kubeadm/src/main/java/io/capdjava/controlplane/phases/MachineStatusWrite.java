package io.capdjava.controlplane.phases;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.Consumer;

/**
 * Writes conditions KCP owns into a Machine's status with the Machine's resourceVersion. CAPI core writes Machines
 * often: on a conflict the change is applied again to the newer Machine and written again, so nothing CAPI core wrote
 * meanwhile is lost (upstream's patch helper with owned conditions).
 */
final class MachineStatusWrite {
  private static final int CONFLICT_RETRIES = 3;

  private MachineStatusWrite() {}

  /**
   * Writes {@code machine}, to which {@code change} has been applied already. Returns false when the Machine kept
   * changing for every attempt (the next reconcile tries again); a Machine gone meanwhile counts as written.
   */
  static boolean write(KubernetesClient client, Machine machine, Consumer<Machine> change) {
    Machine target = machine;
    for (int attempt = 1; ; attempt++) {
      try {
        Machine updated = client.resource(target).updateStatus();
        machine.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) return true;
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
        if (attempt >= CONFLICT_RETRIES) return false;
      }
      target = client.resources(Machine.class).inNamespace(machine.getMetadata().getNamespace())
          .withName(MachineFacts.name(machine)).get();
      if (target == null) return true;
      change.accept(target);
    }
  }
}
