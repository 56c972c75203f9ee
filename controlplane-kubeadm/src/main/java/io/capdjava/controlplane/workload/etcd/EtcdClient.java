package io.capdjava.controlplane.workload.etcd;

import io.capdjava.controlplane.machines.EtcdAlarm;
import io.capdjava.controlplane.machines.EtcdMember;
import java.util.List;

/**
 * One connection to one etcd member of a workload cluster (upstream {@code etcd.Client}). Member list, alarms and
 * member removal go through raft, so any member answers for the whole cluster; moving the leader must be asked of
 * the leader itself.
 */
public interface EtcdClient extends AutoCloseable {
  /** The pod this client talks to ({@code etcd-<node>}). */
  String endpoint();

  /** The leader's member ID, as the connected member saw it when the client was opened. */
  long leaderId();

  List<EtcdMember> members();

  List<EtcdAlarm> alarms();

  /** Makes {@code memberId} the leader; only the current leader can do this. */
  void moveLeader(long memberId);

  void removeMember(long memberId);

  @Override
  void close();
}
