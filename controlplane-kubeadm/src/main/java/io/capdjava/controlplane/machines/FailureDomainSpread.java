package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.core.v1beta2.Machine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spreads control plane Machines over failure domains as upstream's {@code util/failuredomains} does: count, per
 * domain, the "priority" Machines (up-to-date ones for a scale up, eligible ones for a scale down) and all Machines;
 * scale up into the domain with the fewest, scale down from the domain with the most. Machines in unknown domains or
 * without one are not counted. Ties go to the domain listed first in the Cluster's status (upstream leaves them to
 * Go's map order).
 */
public final class FailureDomainSpread {
  private FailureDomainSpread() {}

  private record Count(String name, int position, int priority, int all) {}

  /** The domain for a new Machine: fewest {@code upToDate} Machines, then fewest Machines overall. */
  public static Optional<String> pickFewest(
      List<FailureDomain> domains, Collection<Machine> all, Collection<Machine> upToDate) {
    return count(domains, all, upToDate).stream()
        .min(Comparator.comparingInt(Count::priority).thenComparingInt(Count::all).thenComparingInt(Count::position))
        .map(Count::name);
  }

  /**
   * The domain to remove a Machine from: most {@code eligible} Machines, then most Machines overall; empty when no
   * domain holds an eligible Machine.
   */
  public static Optional<String> pickMost(
      List<FailureDomain> domains, Collection<Machine> all, Collection<Machine> eligible) {
    return count(domains, all, eligible).stream()
        .filter(c -> c.priority() > 0)
        .min(Comparator.comparingInt(Count::priority).reversed()
            .thenComparing(Comparator.comparingInt(Count::all).reversed())
            .thenComparingInt(Count::position))
        .map(Count::name);
  }

  private static List<Count> count(List<FailureDomain> domains, Collection<Machine> all, Collection<Machine> priority) {
    if (domains == null || domains.isEmpty()) return List.of();
    Map<String, int[]> counters = new LinkedHashMap<>();
    for (FailureDomain fd : domains) counters.putIfAbsent(fd.name, new int[2]);
    for (Machine m : all == null ? List.<Machine>of() : all) {
      int[] c = counters.get(MachineFacts.failureDomain(m));
      if (c != null) c[1]++;
    }
    for (Machine m : priority == null ? List.<Machine>of() : priority) {
      int[] c = counters.get(MachineFacts.failureDomain(m));
      if (c != null) c[0]++;
    }
    List<Count> counts = new ArrayList<>();
    int position = 0;
    for (Map.Entry<String, int[]> e : counters.entrySet()) {
      counts.add(new Count(e.getKey(), position++, e.getValue()[0], e.getValue()[1]));
    }
    return counts;
  }
}
