package io.capdjava.controlplane.status;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneStatus;
import io.capdjava.api.controlplane.v1beta2.LastRemediationStatus;
import io.capdjava.api.controlplane.v1beta2.StatusVersion;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.KubernetesVersion;
import io.capdjava.controlplane.machines.EtcdMember;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.PreflightResult;
import io.capdjava.controlplane.machines.RemediationData;
import io.capdjava.controlplane.machines.RemediationOrder;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a KubeadmControlPlane's status from its Machines (upstream {@code updateStatus}): the scale subresource's
 * selector, replica counters, versions, and the conditions {@code Initialized}, {@code RollingOut}, {@code ScalingUp},
 * {@code ScalingDown}, {@code MachinesReady}, {@code MachinesUpToDate}, {@code Remediating}, {@code Deleting} and
 * {@code Available}. Pure: everything it reads is an input.
 */
public final class ControlPlaneStatus {
  /** Right after initialization etcd may not answer yet; failing to read its members counts after this long. */
  static final Duration ETCD_MEMBERS_GRACE = Duration.ofMinutes(2);
  /** While Available is True, a Machine's problem shows in the message once it lasted this long. */
  static final Duration SURFACE_AFTER = Duration.ofSeconds(10);

  private ControlPlaneStatus() {}

  /**
   * What the phases found out that the status reports.
   *
   * @param preflight the last preflight check result (PASSED when none ran)
   * @param topologyVersion the version a managed topology waits for, for the preflight message
   * @param infraMachineTemplateNotFound the InfraMachineTemplate named by the KCP does not exist
   * @param deletingReason why deletion waits (empty when not deleting)
   * @param deletingMessage the details
   * @param etcdManaged stacked etcd
   * @param machineCreationFailure why creating a Machine failed (empty when it did not)
   * @param etcdMembers the etcd members read from the workload cluster; null when they were not read
   * @param etcdMembersAndMachinesMatching whether etcd members and Machines match one to one
   */
  public record Inputs(
      PreflightResult preflight,
      String topologyVersion,
      boolean infraMachineTemplateNotFound,
      String deletingReason,
      String deletingMessage,
      boolean etcdManaged,
      String machineCreationFailure,
      List<EtcdMember> etcdMembers,
      boolean etcdMembersAndMachinesMatching) {}

  public static void update(
      KubeadmControlPlane kcp, String clusterName, List<Machine> machines, Inputs inputs, Instant now) {
    KubeadmControlPlaneStatus status = KcpStatus.of(kcp);
    Long generation = kcp.getMetadata().getGeneration();
    status.selector = selector(clusterName);
    status.versions = versions(machines);
    if (status.versions != null && !status.versions.isEmpty()) status.version = status.versions.get(0).version;
    setReplicas(status, machines);
    KcpStatus.set(kcp, initialized(kcp, generation));
    KcpStatus.set(kcp, rollingOut(machines, generation));
    KcpStatus.set(kcp, scalingUp(kcp, machines, inputs, generation));
    KcpStatus.set(kcp, scalingDown(kcp, machines, inputs, now, generation));
    KcpStatus.set(kcp, machinesReady(machines, generation));
    KcpStatus.set(kcp, machinesUpToDate(machines, now, generation));
    KcpStatus.set(kcp, remediating(machines, generation));
    lastRemediation(kcp, machines).ifPresent(last -> status.lastRemediation = last);
    KcpStatus.set(kcp, deleting(kcp, inputs, generation));
    KcpStatus.set(kcp, available(kcp, machines, inputs, now, generation));
  }

  /** The Machines' selector in query form (upstream {@code ControlPlaneSelectorForCluster}). */
  public static String selector(String clusterName) {
    return Contract.Label.CLUSTER_NAME + "=" + clusterName + "," + Contract.Label.CONTROL_PLANE;
  }

  /**
   * Machines per version, oldest version first (upstream {@code VersionsFromMachines}): the kubelet version when the
   * Node reported one, else {@code spec.version}; null without Machines.
   */
  public static List<StatusVersion> versions(List<Machine> machines) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    machines.stream().sorted(MachineFacts.OLDEST_FIRST).forEach(m -> {
      String v = MachineFacts.kubeletVersion(m).orElse(MachineFacts.version(m));
      if (!v.isEmpty()) counts.merge(v, 1, Integer::sum);
    });
    if (counts.isEmpty()) return null;
    List<String> order = new ArrayList<>(counts.keySet());
    List<String> sorted = new ArrayList<>(order);
    sorted.sort(Comparator.<String, Boolean>comparing(v -> KubernetesVersion.tryParse(v).isEmpty())
        .thenComparing((a, b) -> {
          Optional<KubernetesVersion> va = KubernetesVersion.tryParse(a);
          Optional<KubernetesVersion> vb = KubernetesVersion.tryParse(b);
          if (va.isPresent() && vb.isPresent()) {
            int c = va.get().compareTo(vb.get());
            if (c != 0) return c;
          }
          if (!a.equals(b)) return a.compareTo(b);
          return Integer.compare(order.indexOf(a), order.indexOf(b));
        }));
    return sorted.stream().map(v -> new StatusVersion(v, counts.get(v))).toList();
  }

  static void setReplicas(KubeadmControlPlaneStatus status, List<Machine> machines) {
    status.replicas = machines.size();
    status.readyReplicas = count(machines, Contract.MachineCondition.READY);
    status.availableReplicas = count(machines, Contract.MachineCondition.AVAILABLE);
    status.upToDateReplicas = count(machines, Contract.MachineCondition.UP_TO_DATE);
  }

  private static int count(List<Machine> machines, String type) {
    return (int) machines.stream().filter(m -> MachineFacts.isTrue(m, type)).count();
  }

  static Condition initialized(KubeadmControlPlane kcp, Long generation) {
    return KcpStatus.initialized(kcp)
        ? Conditions.isTrue(ControlPlaneConditions.INITIALIZED, ControlPlaneConditions.INITIALIZED_REASON, generation)
        : Conditions.isFalse(ControlPlaneConditions.INITIALIZED, ControlPlaneConditions.NOT_INITIALIZED_REASON, "",
            generation);
  }

  static Condition rollingOut(List<Machine> machines, Long generation) {
    int rollingOut = 0;
    Set<String> reasons = new LinkedHashSet<>();
    for (Machine m : machines) {
      Optional<Condition> c = MachineFacts.condition(m, Contract.MachineCondition.UP_TO_DATE);
      if (c.isEmpty() || !Conditions.FALSE.equals(c.get().getStatus())) continue;
      rollingOut++;
      String message = c.get().getMessage();
      if (message != null && !message.isEmpty()) reasons.addAll(List.of(message.split("\n")));
    }
    if (rollingOut == 0) {
      return Conditions.isFalse(ControlPlaneConditions.ROLLING_OUT, ControlPlaneConditions.NOT_ROLLING_OUT_REASON, "",
          generation);
    }
    StringBuilder message = new StringBuilder("Rolling out " + rollingOut + " not up-to-date replicas");
    if (!reasons.isEmpty()) {
      List<String> sorted = new ArrayList<>(reasons);
      // a version change goes first
      sorted.sort(Comparator.<String, Boolean>comparing(r -> !r.startsWith("* Version")).thenComparing(r -> r));
      message.append("\n").append(String.join("\n", sorted));
    }
    return Conditions.of(ControlPlaneConditions.ROLLING_OUT, Conditions.TRUE, ControlPlaneConditions.ROLLING_OUT_REASON,
        message.toString(), generation);
  }

  static Condition scalingUp(KubeadmControlPlane kcp, List<Machine> machines, Inputs inputs, Long generation) {
    if (kcp.getSpec().replicas == null) {
      return Conditions.of(ControlPlaneConditions.SCALING_UP, Conditions.UNKNOWN,
          ControlPlaneConditions.WAITING_FOR_REPLICAS_SET_REASON, "Waiting for spec.replicas set", generation);
    }
    int current = machines.size();
    int desired = kcp.isMarkedForDeletion() ? 0 : kcp.getSpec().replicas;
    String missingTemplate = inputs.infraMachineTemplateNotFound()
        ? kcp.getSpec().machineTemplate.spec.infrastructureRef.kind + " does not exist" : "";
    if (current >= desired) {
      return Conditions.isFalse(ControlPlaneConditions.SCALING_UP, ControlPlaneConditions.NOT_SCALING_UP_REASON,
          missingTemplate.isEmpty() ? "" : "Scaling up would be blocked because " + missingTemplate, generation);
    }
    List<String> blockers = new ArrayList<>(inputs.preflight().conditionMessages(inputs.topologyVersion()));
    if (!missingTemplate.isEmpty()) blockers.add("* " + missingTemplate);
    if (!inputs.machineCreationFailure().isEmpty()) blockers.add("* " + inputs.machineCreationFailure());
    String message = "Scaling up from " + current + " to " + desired + " replicas"
        + (blockers.isEmpty() ? "" : " is blocked because:\n" + String.join("\n", blockers));
    return Conditions.of(ControlPlaneConditions.SCALING_UP, Conditions.TRUE, ControlPlaneConditions.SCALING_UP_REASON,
        message, generation);
  }

  static Condition scalingDown(
      KubeadmControlPlane kcp, List<Machine> machines, Inputs inputs, Instant now, Long generation) {
    if (kcp.getSpec().replicas == null) {
      return Conditions.of(ControlPlaneConditions.SCALING_DOWN, Conditions.UNKNOWN,
          ControlPlaneConditions.WAITING_FOR_REPLICAS_SET_REASON, "Waiting for spec.replicas set", generation);
    }
    int current = machines.size();
    int desired = kcp.isMarkedForDeletion() ? 0 : kcp.getSpec().replicas;
    if (current <= desired) {
      return Conditions.isFalse(ControlPlaneConditions.SCALING_DOWN, ControlPlaneConditions.NOT_SCALING_DOWN_REASON,
          "", generation);
    }
    List<String> blockers = new ArrayList<>(inputs.preflight().conditionMessages(inputs.topologyVersion()));
    staleDeletion(machines, now).ifPresent(s -> blockers.add("* " + s));
    String message = "Scaling down from " + current + " to " + desired + " replicas"
        + (blockers.isEmpty() ? "" : " is blocked because:\n" + String.join("\n", blockers));
    return Conditions.of(ControlPlaneConditions.SCALING_DOWN, Conditions.TRUE,
        ControlPlaneConditions.SCALING_DOWN_REASON, message, generation);
  }

  /** Machines deleting for more than 15 minutes (upstream {@code aggregateStaleMachines}, without drain details). */
  static Optional<String> staleDeletion(List<Machine> machines, Instant now) {
    List<String> stale = machines.stream()
        .filter(m -> MachineFacts.deletionRequested(m).map(t -> t.plus(Duration.ofMinutes(15)).isBefore(now))
            .orElse(false))
        .map(MachineFacts::name).sorted().toList();
    if (stale.isEmpty()) return Optional.empty();
    return Optional.of((stale.size() == 1 ? "Machine " : "Machines ") + names(stale)
        + (stale.size() == 1 ? " is" : " are") + " in deletion since more than 15m");
  }

  static Condition machinesReady(List<Machine> machines, Long generation) {
    if (machines.isEmpty()) {
      return Conditions.isTrue(ControlPlaneConditions.MACHINES_READY, ControlPlaneConditions.NO_REPLICAS_REASON,
          generation);
    }
    return MachineConditionAggregate.of(machines, Contract.MachineCondition.READY,
        ControlPlaneConditions.MACHINES_READY,
        new MachineConditionAggregate.Reasons(ControlPlaneConditions.READY_REASON,
            ControlPlaneConditions.NOT_READY_REASON, ControlPlaneConditions.READY_UNKNOWN_REASON), generation);
  }

  static Condition machinesUpToDate(List<Machine> machines, Instant now, Long generation) {
    // a new Machine gets its UpToDate condition a moment after creation: do not flicker meanwhile
    List<Machine> considered = machines.stream()
        .filter(m -> MachineFacts.condition(m, Contract.MachineCondition.UP_TO_DATE).isPresent()
            || MachineFacts.created(m).plusSeconds(10).isBefore(now))
        .toList();
    if (considered.isEmpty()) {
      return Conditions.isTrue(ControlPlaneConditions.MACHINES_UP_TO_DATE, ControlPlaneConditions.NO_REPLICAS_REASON,
          generation);
    }
    return MachineConditionAggregate.of(considered, Contract.MachineCondition.UP_TO_DATE,
        ControlPlaneConditions.MACHINES_UP_TO_DATE,
        new MachineConditionAggregate.Reasons(ControlPlaneConditions.UP_TO_DATE_REASON,
            ControlPlaneConditions.NOT_UP_TO_DATE_REASON, ControlPlaneConditions.UP_TO_DATE_UNKNOWN_REASON),
        generation);
  }

  /**
   * Upstream {@code setRemediatingCondition}: True while Machines wait for KCP to remediate them, with their
   * {@code OwnerRemediated} messages; otherwise False, listing Machines a MachineHealthCheck found unhealthy but did
   * not hand over to KCP.
   */
  static Condition remediating(List<Machine> machines, Long generation) {
    List<Machine> toBeRemediated = RemediationOrder.toBeRemediated(machines);
    if (toBeRemediated.isEmpty()) {
      List<String> unhealthy = machines.stream().filter(RemediationOrder::isUnhealthy)
          .map(MachineFacts::name).sorted().toList();
      String message = unhealthy.isEmpty() ? ""
          : (unhealthy.size() == 1 ? "Machine " : "Machines ") + names(unhealthy)
              + (unhealthy.size() == 1 ? " is" : " are") + " not healthy (not to be remediated by KubeadmControlPlane)";
      return Conditions.isFalse(ControlPlaneConditions.REMEDIATING, ControlPlaneConditions.NOT_REMEDIATING_REASON,
          message, generation);
    }
    // every one of them reports OwnerRemediated False: the aggregate is their messages, the status is pinned to True
    String reason = ControlPlaneConditions.REMEDIATING_REASON;
    Condition aggregate = MachineConditionAggregate.of(toBeRemediated, Contract.MachineCondition.OWNER_REMEDIATED,
        ControlPlaneConditions.REMEDIATING, new MachineConditionAggregate.Reasons(reason, reason, reason), generation);
    return Conditions.of(ControlPlaneConditions.REMEDIATING, Conditions.TRUE, ControlPlaneConditions.REMEDIATING_REASON,
        aggregate.getMessage(), generation);
  }

  /**
   * Upstream {@code status.lastRemediation}: the remediation in progress (KCP annotation), else the most recent one
   * the Machines remember ({@code remediation-for}); empty keeps the last value reported. Unreadable values are
   * skipped.
   */
  static Optional<LastRemediationStatus> lastRemediation(KubeadmControlPlane kcp, List<Machine> machines) {
    Map<String, String> annotations = kcp.getMetadata().getAnnotations();
    Optional<RemediationData> last = Optional.empty();
    if (annotations != null && annotations.containsKey(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION)) {
      last = readable(annotations.get(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION));
    } else {
      for (Machine m : machines) {
        Map<String, String> a = m.getMetadata().getAnnotations();
        if (a == null || !a.containsKey(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION)) continue;
        Optional<RemediationData> data = readable(a.get(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION));
        if (data.isEmpty()) continue;
        if (last.isEmpty() || timeOf(last.get()).isBefore(timeOf(data.get()))) last = data;
      }
    }
    return last.map(d -> {
      LastRemediationStatus status = new LastRemediationStatus();
      status.machine = d.machine();
      status.time = timeOf(d).toString();
      status.retryCount = d.retryCount();
      return status;
    });
  }

  private static Optional<RemediationData> readable(String value) {
    try {
      return Optional.of(RemediationData.parse(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Instant timeOf(RemediationData data) {
    return data.timestamp().orElse(Instant.EPOCH);
  }

  static Condition deleting(KubeadmControlPlane kcp, Inputs inputs, Long generation) {
    if (!kcp.isMarkedForDeletion()) {
      return Conditions.isFalse(ControlPlaneConditions.DELETING, ControlPlaneConditions.NOT_DELETING_REASON, "",
          generation);
    }
    return Conditions.of(ControlPlaneConditions.DELETING, Conditions.TRUE, inputs.deletingReason(),
        inputs.deletingMessage(), generation);
  }

  /**
   * Upstream {@code setAvailableCondition}: initialized, the etcd member list known and matching the Machines (stacked
   * etcd), at least one Machine with every control plane component (and its etcd member) healthy, a healthy etcd
   * quorum, certificates, and not deleting. Problems of single Machines show in the message of a True condition once
   * they lasted ten seconds.
   */
  static Condition available(
      KubeadmControlPlane kcp, List<Machine> machines, Inputs inputs, Instant now, Long generation) {
    if (!KcpStatus.initialized(kcp)) {
      return Conditions.isFalse(ControlPlaneConditions.AVAILABLE, ControlPlaneConditions.NOT_AVAILABLE_REASON,
          "Control plane not yet initialized", generation);
    }
    boolean etcdManaged = inputs.etcdManaged();
    List<EtcdMember> members = inputs.etcdMembers();
    if (etcdManaged) {
      if (members == null) {
        Optional<Condition> initialized = Conditions.get(KcpStatus.conditions(kcp), ControlPlaneConditions.INITIALIZED)
            .filter(c -> Conditions.TRUE.equals(c.getStatus()));
        if (initialized.isPresent() && Duration.between(transition(initialized.get()), now)
            .compareTo(ETCD_MEMBERS_GRACE) < 0) {
          return Conditions.isFalse(ControlPlaneConditions.AVAILABLE, ControlPlaneConditions.NOT_AVAILABLE_REASON,
              "Waiting for etcd to report the list of members", generation);
        }
        return Conditions.of(ControlPlaneConditions.AVAILABLE, Conditions.UNKNOWN,
            ControlPlaneConditions.INSPECTION_FAILED_REASON, "Failed to get etcd members", generation);
      }
      if (!inputs.etcdMembersAndMachinesMatching()) {
        return Conditions.isFalse(ControlPlaneConditions.AVAILABLE, ControlPlaneConditions.NOT_AVAILABLE_REASON,
            "The list of etcd members does not match the list of Machines and Nodes", generation);
      }
    }

    List<String> components = etcdManaged
        ? List.of(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY,
            ControlPlaneConditions.MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
            ControlPlaneConditions.MACHINE_SCHEDULER_POD_HEALTHY, ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY,
            ControlPlaneConditions.MACHINE_ETCD_POD_HEALTHY)
        : List.of(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY,
            ControlPlaneConditions.MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
            ControlPlaneConditions.MACHINE_SCHEDULER_POD_HEALTHY);
    int healthy = 0;
    int notHealthy = 0;
    int notHealthyNotReported = 0;
    for (Machine m : machines) {
      // a Machine without providerID is provisioning: noise
      if (!MachineFacts.hasProviderId(m)) continue;
      if (components.stream().allMatch(t -> MachineFacts.isTrue(m, t))) healthy++;
      else if (surface(m, components, now)) notHealthy++;
      else notHealthyNotReported++;
    }

    int voting = 0;
    int learners = 0;
    int membersHealthy = 0;
    int membersNotHealthy = 0;
    int membersNotHealthyNotReported = 0;
    if (etcdManaged) {
      List<Machine> provisioning = new ArrayList<>(machines.stream().filter(m -> !MachineFacts.hasNode(m)).toList());
      for (EtcdMember member : members) {
        // a member without name is starting: a learner, healthy for now
        if (member.learner() || !member.hasName()) learners++;
        else voting++;
        if (!member.hasName()) {
          membersHealthy++;
          continue;
        }
        Optional<Machine> machine = machines.stream()
            .filter(m -> MachineFacts.nodeName(m).filter(member.name()::equals).isPresent()).findFirst();
        if (machine.isEmpty()) {
          // KCP adds one Machine at a time: a single Machine without Node hosts it
          if (provisioning.size() == 1) {
            machine = Optional.of(provisioning.remove(0));
          } else {
            membersNotHealthy++;
            continue;
          }
        }
        List<String> memberHealthy = List.of(ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY);
        if (MachineFacts.isTrue(machine.get(), ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY)) membersHealthy++;
        else if (surface(machine.get(), memberHealthy, now)) membersNotHealthy++;
        else membersNotHealthyNotReported++;
      }
    }
    int quorum = voting / 2 + 1;
    boolean certificates = Conditions.isTrue(KcpStatus.conditions(kcp), ControlPlaneConditions.CERTIFICATES_AVAILABLE);
    String learnersMessage = learners > 0 ? " " + learners + " learner etcd member," : "";

    if (!kcp.isMarkedForDeletion() && (!etcdManaged || membersHealthy >= quorum) && healthy >= 1 && certificates) {
      List<String> messages = new ArrayList<>();
      if (etcdManaged && membersNotHealthy > 0) {
        messages.add(etcdHealth(membersHealthy + membersNotHealthyNotReported, members.size(), learnersMessage, quorum));
      }
      if (notHealthy > 0) {
        int reported = healthy + notHealthyNotReported;
        messages.add(reported == 1
            ? "* 1 of " + machines.size() + " Machines has healthy control plane components, at least 1 required"
            : "* " + reported + " of " + machines.size()
                + " Machines have healthy control plane components, at least 1 required");
      }
      return Conditions.of(ControlPlaneConditions.AVAILABLE, Conditions.TRUE, ControlPlaneConditions.AVAILABLE_REASON,
          String.join("\n", messages), generation);
    }

    List<String> messages = new ArrayList<>();
    if (kcp.isMarkedForDeletion()) messages.add("* Control plane metadata.deletionTimestamp is set");
    if (!certificates) messages.add("* Control plane certificates are not available");
    if (etcdManaged && membersHealthy < quorum) {
      messages.add(membersHealthy == 0
          ? "* There are no healthy etcd member," + learnersMessage + " at least " + quorum
              + " healthy member required for etcd quorum"
          : etcdHealth(membersHealthy, members.size(), learnersMessage, quorum));
    }
    if (healthy < 1) {
      messages.add("* There are no Machines with healthy control plane components, at least 1 required");
    }
    return Conditions.isFalse(ControlPlaneConditions.AVAILABLE, ControlPlaneConditions.NOT_AVAILABLE_REASON,
        String.join("\n", messages), generation);
  }

  private static String etcdHealth(int healthy, int total, String learnersMessage, int quorum) {
    return healthy == 1
        ? "* 1 of " + total + " etcd members is healthy," + learnersMessage + " at least " + quorum
            + " healthy member required for etcd quorum"
        : "* " + healthy + " of " + total + " etcd members are healthy," + learnersMessage + " at least " + quorum
            + " healthy member required for etcd quorum";
  }

  /** Upstream {@code shouldSurfaceWhenAvailableTrue}: one of the conditions is not True for more than ten seconds. */
  static boolean surface(Machine machine, List<String> types, Instant now) {
    Optional<Instant> since = types.stream()
        .map(t -> MachineFacts.condition(machine, t))
        .flatMap(Optional::stream)
        .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
        .map(ControlPlaneStatus::transition)
        .min(Comparator.naturalOrder());
    return since.map(t -> Duration.between(t, now).compareTo(SURFACE_AFTER) > 0).orElse(false);
  }

  private static Instant transition(Condition c) {
    String t = c.getLastTransitionTime();
    return t == null || t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
  }

  private static String names(List<String> names) {
    return names.size() <= 3 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + ", ... (" + (names.size() - 3) + " more)";
  }
}
