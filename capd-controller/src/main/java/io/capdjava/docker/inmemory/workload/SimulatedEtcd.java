package io.capdjava.docker.inmemory.workload;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The etcd cluster of one simulated workload cluster: members named after their nodes (as kubeadm names them), one
 * leader, a cluster ID, no alarms. What KCP asks of etcd (member list, status, alarms, move leader, remove member) is
 * answered from here; the first member becomes the leader, and a removed leader hands leadership to the oldest member
 * left (etcd elects one). Thread-safe.
 */
public final class SimulatedEtcd {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One member: a non-zero ID, its name (the node's), the URLs kubeadm gives it. */
  public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls) {}

  /** A consistent view of the whole etcd cluster at one moment, as one answer of a member needs it. */
  public record Snapshot(long clusterId, List<Member> members, long leaderId, long revision, long raftTerm,
      long raftIndex) {
    public Optional<Member> byName(String name) {
      return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<Member> byId(long id) {
      return members.stream().filter(m -> m.id() == id).findFirst();
    }
  }

  /** What asking a member to hand over leadership came to (etcd's {@code MoveLeader}). */
  public enum LeaderTransfer {
    /** The target leads now (also when it already did). */
    MOVED,
    /** The member asked is not the leader; etcd only lets the leader transfer leadership. */
    NOT_LEADER,
    /** No member with the target ID. */
    NO_SUCH_TARGET
  }

  private final long clusterId = nonZeroId();
  private final Map<Long, Member> members = new LinkedHashMap<>();
  private long leaderId;
  private long revision = 1;
  private long raftTerm;
  private long raftIndex;

  public long clusterId() {
    return clusterId;
  }

  /** Adds the member of a node (idempotent by name); the first member leads. */
  public synchronized Member addMember(String name) {
    Optional<Member> existing = byName(name);
    if (existing.isPresent()) return existing.get();
    long id;
    do {
      id = nonZeroId();
    } while (members.containsKey(id));
    String host = name;
    Member member = new Member(id, name, List.of("https://" + host + ":2380"), List.of("https://" + host + ":2379"));
    members.put(id, member);
    if (leaderId == 0) changeLeader(id);
    revision++;
    raftIndex++;
    return member;
  }

  public synchronized Optional<Member> byName(String name) {
    return members.values().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public synchronized Optional<Member> byId(long id) {
    return Optional.ofNullable(members.get(id));
  }

  public synchronized List<Member> members() {
    return new ArrayList<>(members.values());
  }

  /** The leader's ID; 0 when there is no member. */
  public synchronized long leaderId() {
    return leaderId;
  }

  /** A store revision that moves with membership changes (status answers carry one). */
  public synchronized long revision() {
    return revision;
  }

  /** The raft term: starts at 1 with the first leader and grows with every change of leader (an election). */
  public synchronized long raftTerm() {
    return raftTerm;
  }

  /** The raft log index: grows with every membership or leadership change (each is a raft entry). */
  public synchronized long raftIndex() {
    return raftIndex;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(clusterId, List.copyOf(members.values()), leaderId, revision, raftTerm, raftIndex);
  }

  /**
   * Leadership handed from member {@code fromId} to {@code toId}, as etcd's MoveLeader does it: only the leader may
   * hand it over, and only to a member.
   */
  public synchronized LeaderTransfer transferLeadership(long fromId, long toId) {
    if (fromId != leaderId || !members.containsKey(fromId)) return LeaderTransfer.NOT_LEADER;
    if (!members.containsKey(toId)) return LeaderTransfer.NO_SUCH_TARGET;
    moveLeader(toId);
    return LeaderTransfer.MOVED;
  }

  /** Makes {@code id} the leader; false when no such member exists. */
  public synchronized boolean moveLeader(long id) {
    if (!members.containsKey(id)) return false;
    if (leaderId != id) changeLeader(id);
    return true;
  }

  /** Removes a member; false when no such member exists. A removed leader's place goes to the oldest member left. */
  public synchronized boolean removeMember(long id) {
    if (members.remove(id) == null) return false;
    if (leaderId == id) changeLeader(members.keySet().stream().findFirst().orElse(0L));
    revision++;
    raftIndex++;
    return true;
  }

  /** Removes the member of a node, if any. */
  public synchronized void removeMemberByName(String name) {
    byName(name).ifPresent(m -> removeMember(m.id()));
  }

  private void changeLeader(long id) {
    leaderId = id;
    if (id != 0) {
      raftTerm++;
      raftIndex++;
    }
  }

  private static long nonZeroId() {
    long id;
    do {
      id = RANDOM.nextLong();
    } while (id == 0);
    return id;
  }
}
