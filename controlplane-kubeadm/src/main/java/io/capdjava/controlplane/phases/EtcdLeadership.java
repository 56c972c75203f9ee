package io.capdjava.controlplane.phases;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.MachineFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving etcd leadership away from a Machine about to be deleted (upstream {@code forwardEtcdLeadership}).
 *
 * <p>NOT IMPLEMENTED YET: it needs the workload cluster's etcd (a port-forward to {@code etcd-<node>} with a client
 * certificate from the etcd CA), which needs real nodes. Until then the Machine is deleted without moving the leader
 * first; etcd elects a new leader by itself, after a short pause in writes.
 */
public final class EtcdLeadership {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdLeadership.class);

  public void moveAwayFrom(ControlPlaneScope scope, Machine machine) {
    LOG.warn("Not moving etcd leadership away from Machine {}/{} before deleting it: reading and moving the etcd"
        + " leader is not implemented yet", scope.namespace(), MachineFacts.name(machine));
  }
}
