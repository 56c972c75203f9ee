package io.capdjava.controlplane.health;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the etcd members and the Machines match one to one (upstream {@code compareMachinesAndMembers}); kubeadm
 * names a member after its Node. A Machine without member gets {@code EtcdMemberHealthy} False; a member without
 * Machine is a problem of the whole control plane. Mismatches expected while scaling up (a Node younger than two
 * minutes, a Machine still without Node) do not count against {@code Available}.
 *
 * @param matching whether members and Machines match, for {@code Available}
 * @param kcpErrors problems not tied to one Machine, for {@code EtcdClusterHealthy}
 */
public record EtcdMembersAndMachines(boolean matching, List<String> kcpErrors) {
  static final Duration NEW_NODE_GRACE = Duration.ofMinutes(2);

  /** Compares; {@code members} is null when they could not be read. Sets the condition on Machines without member. */
  public static EtcdMembersAndMachines compare(
      List<EtcdMember> members, List<Machine> machines, List<Node> nodes, Instant now) {
    if (members == null) {
      return new EtcdMembersAndMachines(machines.stream().noneMatch(MachineFacts::hasNode), List.of());
    }
    boolean matching = true;
    for (Machine machine : machines) {
      if (MachineFacts.nodeName(machine).isEmpty()) continue;
      String nodeName = MachineFacts.nodeName(machine).get();
      if (members.stream().anyMatch(m -> m.name().equals(nodeName))) continue;
      MachineConditions.set(machine, ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, Conditions.FALSE,
          ControlPlaneConditions.NOT_HEALTHY_REASON, "Etcd doesn't have an etcd member for Node " + nodeName);
      if (!MachineFacts.isDeleting(machine)) {
        boolean oldNode = nodes.stream().anyMatch(n -> NodeFacts.name(n).equals(nodeName)
            && Duration.between(NodeFacts.created(n), now).compareTo(NEW_NODE_GRACE) > 0);
        if (oldNode) matching = false;
      }
    }
    List<String> kcpErrors = new ArrayList<>();
    boolean provisioning = machines.stream().anyMatch(m -> !MachineFacts.hasNode(m));
    for (EtcdMember member : members) {
      boolean found = machines.stream().anyMatch(m -> MachineFacts.nodeName(m).filter(member.name()::equals)
          .isPresent());
      if (found) continue;
      String name = member.hasName() ? member.name() : Long.toUnsignedString(member.id()) + " (Name not yet assigned)";
      kcpErrors.add("Etcd member " + name + " does not have a corresponding Machine");
      if (!provisioning) matching = false;
    }
    return new EtcdMembersAndMachines(matching, kcpErrors);
  }
}
