package io.capdjava.controlplane.health;

import static io.capdjava.controlplane.ControlPlaneConditions.INSPECTION_FAILED_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_DELETING_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY;
import static io.capdjava.controlplane.ControlPlaneConditions.NOT_HEALTHY_REASON;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.EtcdAlarm;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.workload.WorkloadCluster;
import io.capdjava.controlplane.workload.etcd.EtcdClient;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of the stacked etcd cluster (upstream {@code updateManagedEtcdConditions}): the member list, leader and
 * alarms read from one member, each Machine's {@code EtcdMemberHealthy} (missing member, learner, alarms) and the KCP's
 * {@code EtcdClusterHealthy}. Best effort: what cannot be read becomes Unknown, never an error.
 */
public final class EtcdInspection {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdInspection.class);

  private EtcdInspection() {}

  /**
   * @param members the members; null when they could not be read
   * @param leader the leader, when members were read
   * @param alarms the alarms, when members were read
   * @param membersAndMachinesMatching see {@link EtcdMembersAndMachines}
   * @param clusterHealthy the KCP's {@code EtcdClusterHealthy}
   */
  public record Result(
      List<EtcdMember> members, Optional<EtcdMember> leader, List<EtcdAlarm> alarms,
      boolean membersAndMachinesMatching, Condition clusterHealthy) {}

  public static Result inspect(
      List<Machine> machines, List<Node> nodes, Optional<String> nodeListError, WorkloadCluster workload,
      Long kcpGeneration, Instant now) {
    if (nodeListError.isPresent()) {
      // without Nodes there is no way to reach etcd
      for (Machine m : machines) {
        MachineConditions.set(m, MACHINE_ETCD_MEMBER_HEALTHY, Conditions.UNKNOWN, INSPECTION_FAILED_REASON,
            "Failed to get the Node hosting the etcd member");
      }
      return new Result(null, Optional.empty(), List.of(), false, Conditions.of(
          ControlPlaneConditions.ETCD_CLUSTER_HEALTHY, Conditions.UNKNOWN, INSPECTION_FAILED_REASON,
          "Failed to get Nodes hosting the etcd cluster", kcpGeneration));
    }
    for (Machine m : machines) {
      if (MachineFacts.hasNode(m)) continue;
      MachineConditions.set(m, MACHINE_ETCD_MEMBER_HEALTHY, Conditions.UNKNOWN, INSPECTION_FAILED_REASON,
          StaticPodInspection.waitingForNode(m));
    }
    for (Machine m : machines) {
      if (!MachineFacts.isDeleting(m)) continue;
      MachineConditions.set(m, MACHINE_ETCD_MEMBER_HEALTHY, Conditions.FALSE, MACHINE_DELETING_REASON,
          "Machine is deleting");
    }

    List<Machine> running = machines.stream().filter(m -> MachineFacts.hasNode(m) && !MachineFacts.isDeleting(m))
        .toList();
    Read read = read(running, nodes, workload);
    if (read.members != null) {
      for (Machine machine : running) {
        MachineConditions.set(machine, MACHINE_ETCD_MEMBER_HEALTHY, memberHealth(machine, read.members, read.alarms));
      }
    }

    EtcdMembersAndMachines match = EtcdMembersAndMachines.compare(read.members, machines, nodes, now);
    Condition aggregate = MachinesToControlPlaneCondition.aggregate(machines, List.of(MACHINE_ETCD_MEMBER_HEALTHY),
        match.kcpErrors(),
        new MachinesToControlPlaneCondition.Target(ControlPlaneConditions.ETCD_CLUSTER_HEALTHY,
            ControlPlaneConditions.HEALTHY_REASON, ControlPlaneConditions.NOT_HEALTHY_REASON,
            ControlPlaneConditions.HEALTH_UNKNOWN_REASON, "etcd member"),
        kcpGeneration);
    return new Result(read.members, read.leader, read.alarms, match.matching(), aggregate);
  }

  static StaticPodHealth.Verdict memberHealth(Machine machine, List<EtcdMember> members, List<EtcdAlarm> alarms) {
    String nodeName = MachineFacts.nodeName(machine).orElseThrow();
    Optional<EtcdMember> member = members.stream().filter(m -> m.name().equals(nodeName)).findFirst();
    if (member.isEmpty()) {
      return new StaticPodHealth.Verdict(Conditions.FALSE, NOT_HEALTHY_REASON, "Etcd reports the cluster is composed by "
          + names(members) + ", but the etcd member hosted on Machine " + MachineFacts.name(machine) + " (" + nodeName
          + ") is not included");
    }
    if (member.get().learner()) {
      return new StaticPodHealth.Verdict(Conditions.FALSE, NOT_HEALTHY_REASON,
          "Waiting for learner etcd member to be promoted");
    }
    List<String> raised = alarms.stream().filter(a -> a.memberId() == member.get().id() && a.isRaised())
        .map(EtcdAlarm::type).toList();
    if (!raised.isEmpty()) {
      return new StaticPodHealth.Verdict(Conditions.FALSE, NOT_HEALTHY_REASON,
          "Etcd reports alarms: " + String.join(", ", raised));
    }
    return new StaticPodHealth.Verdict(Conditions.TRUE, ControlPlaneConditions.HEALTHY_REASON, "");
  }

  /** Upstream {@code etcdutil.MemberNames} as Go prints a string slice: {@code [a b]}, in etcd's order. */
  static String names(List<EtcdMember> members) {
    List<String> names = members.stream().map(m -> m.hasName() ? m.name()
        : "name not set yet for member with id " + Long.toUnsignedString(m.id())).toList();
    return "[" + String.join(" ", names) + "]";
  }

  private record Read(List<EtcdMember> members, Optional<EtcdMember> leader, List<EtcdAlarm> alarms) {}

  /** Reads members, leader and alarms through the first member that answers; on failure says so on the Machines. */
  private static Read read(List<Machine> running, List<Node> nodes, WorkloadCluster workload) {
    List<String> nodeNames = nodesByLastKnownHealth(running, nodes);
    if (nodeNames.isEmpty()) return new Read(null, Optional.empty(), List.of());
    EtcdClient client;
    try {
      client = workload.etcdClientForFirstAvailableNode(nodeNames);
    } catch (RuntimeException e) {
      LOG.info("Failed to connect to etcd: {}", e.getMessage());
      failed(running, "Failed to connect to etcd: " + e.getMessage());
      return new Read(null, Optional.empty(), List.of());
    }
    try (client) {
      List<EtcdMember> members;
      try {
        members = client.members();
      } catch (RuntimeException e) {
        failed(running, "Failed to get etcd members: " + e.getMessage());
        return new Read(null, Optional.empty(), List.of());
      }
      Optional<EtcdMember> leader = members.stream().filter(m -> m.id() == client.leaderId()).findFirst();
      if (leader.isEmpty()) {
        LOG.info("Failed to get etcd leader: member {} is not in the member list",
            Long.toUnsignedString(client.leaderId()));
        return new Read(null, Optional.empty(), List.of());
      }
      try {
        return new Read(members, leader, client.alarms());
      } catch (RuntimeException e) {
        failed(running, "Failed to get etcd alarms: " + e.getMessage());
        return new Read(null, Optional.empty(), List.of());
      }
    }
  }

  private static void failed(List<Machine> machines, String message) {
    for (Machine m : machines) {
      MachineConditions.set(m, MACHINE_ETCD_MEMBER_HEALTHY, Conditions.UNKNOWN, INSPECTION_FAILED_REASON, message);
    }
  }

  /** Nodes of running Machines, those whose member was healthy last time first: most likely to answer again. */
  static List<String> nodesByLastKnownHealth(List<Machine> running, List<Node> nodes) {
    List<Machine> withNode = new ArrayList<>();
    for (Node node : nodes) {
      running.stream().filter(m -> MachineFacts.nodeName(m).filter(NodeFacts.name(node)::equals).isPresent())
          .findFirst().ifPresent(withNode::add);
    }
    return withNode.stream()
        .sorted(Comparator.comparing((Machine m) -> !MachineFacts.isTrue(m, MACHINE_ETCD_MEMBER_HEALTHY)))
        .map(m -> MachineFacts.nodeName(m).orElseThrow())
        .distinct()
        .toList();
  }
}
