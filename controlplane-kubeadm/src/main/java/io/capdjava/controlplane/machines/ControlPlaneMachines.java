package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Contract;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The control plane Machines of one KubeadmControlPlane as the decisions see them (upstream {@code pkg.ControlPlane}
 * without the I/O): the Machines, which of them are not up to date, the Cluster's control plane failure domains and
 * whether etcd is stacked on the Machines.
 *
 * @param machines the Machines KCP owns
 * @param outdated names of the Machines whose spec is not up to date
 * @param failureDomains failure domains with {@code controlPlane: true}, in the Cluster's order
 * @param etcdManaged true with stacked etcd (no {@code etcd.external})
 */
public record ControlPlaneMachines(
    List<Machine> machines, Set<String> outdated, List<FailureDomain> failureDomains, boolean etcdManaged) {

  public ControlPlaneMachines {
    machines = List.copyOf(machines);
    outdated = Set.copyOf(outdated);
    failureDomains = failureDomains == null ? List.of() : List.copyOf(failureDomains);
  }

  /** The control plane failure domains of {@code all} ({@code controlPlane: true}). */
  public static List<FailureDomain> controlPlaneDomains(List<FailureDomain> all) {
    return all == null ? List.of() : all.stream().filter(fd -> Boolean.TRUE.equals(fd.controlPlane)).toList();
  }

  public int size() {
    return machines.size();
  }

  public List<Machine> filter(Predicate<Machine> predicate) {
    return machines.stream().filter(predicate).toList();
  }

  public boolean isUpToDate(Machine machine) {
    return !outdated.contains(MachineFacts.name(machine));
  }

  public List<Machine> upToDateMachines() {
    return filter(this::isUpToDate);
  }

  public List<Machine> outdatedMachines() {
    return filter(m -> !isUpToDate(m));
  }

  /** Outdated Machines not yet deleting: the ones a rollout still has to replace. */
  public List<Machine> machinesNeedingRollout() {
    return filter(m -> !isUpToDate(m) && !MachineFacts.isDeleting(m));
  }

  public List<Machine> deletingMachines() {
    return filter(MachineFacts::isDeleting);
  }

  public boolean hasDeletingMachine() {
    return machines.stream().anyMatch(MachineFacts::isDeleting);
  }

  /** Machines with a control plane component condition False (missing or Unknown is not unhealthy, only unknown). */
  public List<Machine> withUnhealthyComponents(Collection<Machine> among) {
    List<String> conditions = ControlPlaneConditions.componentHealthConditions(etcdManaged);
    return among.stream().filter(m -> conditions.stream().anyMatch(c -> MachineFacts.isFalse(m, c))).toList();
  }

  public List<Machine> withDeleteAnnotation(Collection<Machine> among) {
    return among.stream().filter(m -> MachineFacts.hasAnnotation(m, Contract.Annotation.DELETE_MACHINE)).toList();
  }

  /** Where the next Machine goes: the domain with fewest up-to-date, non-deleting Machines; empty without domains. */
  public Optional<String> nextFailureDomainForScaleUp() {
    if (failureDomains.isEmpty()) return Optional.empty();
    List<Machine> upToDateNotDeleting = upToDateMachines().stream().filter(m -> !MachineFacts.isDeleting(m)).toList();
    return FailureDomainSpread.pickFewest(failureDomains, machines, upToDateNotDeleting);
  }

  /**
   * The domain to take a Machine from: a Machine outside every known domain goes first (the domain of the oldest of
   * them); otherwise the domain with most eligible Machines. Empty string means "no domain".
   */
  public String failureDomainWithMostMachines(Collection<Machine> eligible) {
    Set<String> known = failureDomains.stream().map(fd -> fd.name).collect(Collectors.toSet());
    Optional<Machine> outside = eligible.stream()
        .filter(m -> !known.contains(MachineFacts.failureDomain(m)))
        .min(MachineFacts.OLDEST_FIRST);
    if (outside.isPresent()) return MachineFacts.failureDomain(outside.get());
    return FailureDomainSpread.pickMost(failureDomains, machines, eligible).orElse("");
  }

  /** The oldest eligible Machine in the failure domain with most Machines. */
  public Optional<Machine> oldestInFailureDomainWithMostMachines(Collection<Machine> eligible) {
    String domain = failureDomainWithMostMachines(eligible);
    return eligible.stream()
        .filter(m -> MachineFacts.failureDomain(m).equals(domain))
        .min(MachineFacts.OLDEST_FIRST);
  }
}
