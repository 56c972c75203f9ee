package io.capdjava.controlplane.machines;

/**
 * An etcd member as etcd reports it. A member that has not started yet has no name and counts as a learner.
 *
 * @param id the member ID
 * @param name the member name (kubeadm names it after the Node); empty while the member has not started
 * @param learner whether the member is a raft learner not yet promoted
 */
public record EtcdMember(long id, String name, boolean learner) {
  public EtcdMember {
    name = name == null ? "" : name;
  }

  public boolean hasName() {
    return !name.isEmpty();
  }
}
