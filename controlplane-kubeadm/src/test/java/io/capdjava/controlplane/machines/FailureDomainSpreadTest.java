package io.capdjava.controlplane.machines;

import static io.capdjava.controlplane.machines.TestMachines.fd;
import static io.capdjava.controlplane.machines.TestMachines.inFailureDomain;
import static io.capdjava.controlplane.machines.TestMachines.machine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.core.v1beta2.Machine;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream {@code util/failuredomains} cases: TestPickFewestNew, TestPickMostNew, TestNewFailureDomainPicker, TestPickMost. */
class FailureDomainSpreadTest {
  static final String A = "us-west-1a";
  static final String B = "us-west-1b";
  static final String C = "us-west-1c";
  static final List<FailureDomain> FDS3 = List.of(fd(A), fd(B), fd(C));
  static final List<FailureDomain> FDS2 = List.of(fd(A), fd(B));
  static final List<FailureDomain> FDS0 = List.of();

  static final Machine A1 = machine("a1", inFailureDomain(A));
  static final Machine A2 = machine("a2", inFailureDomain(A));
  static final Machine B1 = machine("b1", inFailureDomain(B));
  static final Machine B2 = machine("b2", inFailureDomain(B));
  static final Machine C1 = machine("c1", inFailureDomain(C));
  static final Machine A1_OLD = machine("a1-old", inFailureDomain(A));
  static final Machine A2_OLD = machine("a2-old", inFailureDomain(A));
  static final Machine B1_OLD = machine("b1-old", inFailureDomain(B));
  static final Machine B2_OLD = machine("b2-old", inFailureDomain(B));
  static final Machine C1_OLD = machine("c1-old", inFailureDomain(C));
  static final Machine A1_NEW = machine("a1-new", inFailureDomain(A));
  static final Machine A2_NEW = machine("a2-new", inFailureDomain(A));
  static final Machine B1_NEW = machine("b1-new", inFailureDomain(B));
  static final Machine B2_NEW = machine("b2-new", inFailureDomain(B));
  static final Machine C1_NEW = machine("c1-new", inFailureDomain(C));

  static Stream<Arguments> pickFewest() {
    return Stream.of(
        // A.1 scale up to 3
        Arguments.of("3 fds, 0 machines, 0 to 1", FDS3, List.of(), List.of(), Set.of(A, B, C)),
        Arguments.of("3 fds, 1 machine, 1 to 2", FDS3, List.of(A1), List.of(A1), Set.of(B, C)),
        Arguments.of("3 fds, 2 machines, 2 to 3", FDS3, List.of(A1, B1), List.of(A1, B1), Set.of(C)),
        // A.2 scale up during a rollout
        Arguments.of("3 fds, 3 outdated, scale up to 4", FDS3, List.of(A1_OLD, B1_OLD, C1_OLD), List.of(), Set.of(A, B, C)),
        Arguments.of("3 fds, 2 outdated 1 new, scale up to 4", FDS3, List.of(A1_NEW, B1_OLD, C1_OLD), List.of(A1_NEW),
            Set.of(B, C)),
        Arguments.of("3 fds, 1 outdated 2 new, scale up to 4", FDS3, List.of(A1_NEW, B1_NEW, C1_OLD),
            List.of(A1_NEW, B1_NEW), Set.of(C)),
        // A.3 after remediation or forced deletion
        Arguments.of("3 fds, 3 machines 1 new", FDS3, List.of(A1_OLD, C1_OLD, C1_NEW), List.of(C1_NEW), Set.of(B)),
        Arguments.of("3 fds, 3 machines 2 new", FDS3, List.of(A1_OLD, A1_NEW, C1_NEW), List.of(A1_NEW, C1_NEW), Set.of(B)),
        // B.1 2 fds, scale up to 3
        Arguments.of("2 fds, 0 machines", FDS2, List.of(), List.of(), Set.of(A, B)),
        Arguments.of("2 fds, 1 machine", FDS2, List.of(A1), List.of(A1), Set.of(B)),
        Arguments.of("2 fds, 2 machines", FDS2, List.of(A1, B1), List.of(A1, B1), Set.of(A, B)),
        // B.2 rollout
        Arguments.of("2 fds, 3 outdated", FDS2, List.of(A1_OLD, A2_OLD, B1_OLD), List.of(), Set.of(B)),
        Arguments.of("2 fds, 2 outdated 1 new", FDS2, List.of(A1_OLD, B1_OLD, B1_NEW), List.of(B1_NEW), Set.of(A)),
        Arguments.of("2 fds, 1 outdated 2 new", FDS2, List.of(A1_NEW, B1_OLD, B1_NEW), List.of(A1_NEW, B1_NEW), Set.of(A)),
        // C.1 3 fds, scale up to 5
        Arguments.of("3 fds, 3 machines, 3 to 4", FDS3, List.of(A1, B1, C1), List.of(A1, B1, C1), Set.of(A, B, C)),
        Arguments.of("3 fds, 4 machines, 4 to 5", FDS3, List.of(A1, A2, B1, C1), List.of(A1, A2, B1, C1), Set.of(B, C)),
        // C.2 rollout
        Arguments.of("3 fds, 5 outdated", FDS3, List.of(A1_OLD, A2_OLD, B1_OLD, B2_OLD, C1_OLD), List.of(), Set.of(C)),
        Arguments.of("3 fds, 4 outdated 1 new", FDS3, List.of(A1_OLD, B1_OLD, B2_OLD, C1_OLD, C1_NEW), List.of(C1_NEW),
            Set.of(A)),
        Arguments.of("3 fds, 3 outdated 2 new", FDS3, List.of(A1_OLD, A1_NEW, B1_OLD, C1_OLD, C1_NEW),
            List.of(A1_NEW, C1_NEW), Set.of(B)),
        Arguments.of("3 fds, 2 outdated 3 new", FDS3, List.of(A1_NEW, B1_OLD, B1_NEW, C1_OLD, C1_NEW),
            List.of(A1_NEW, B1_NEW, C1_NEW), Set.of(A)),
        Arguments.of("3 fds, 1 outdated 4 new", FDS3, List.of(A1_NEW, A2_NEW, B1_NEW, C1_OLD, C1_NEW),
            List.of(A1_NEW, A2_NEW, B1_NEW, C1_NEW), Set.of(B)),
        // D no failure domains
        Arguments.of("no fds, 0 machines", FDS0, List.of(), List.of(), Set.of()),
        Arguments.of("no fds, 2 machines", FDS0, List.of(A1, B1), List.of(A1, B1), Set.of()),
        Arguments.of("no fds, rollout", FDS0, List.of(A1_NEW, B1_OLD, C1_OLD), List.of(A1_NEW), Set.of()),
        // TestNewFailureDomainPicker
        Arguments.of("machine without failure domain", List.of(fd(A)), List.of(machine("nil")), List.of(), Set.of(A)),
        Arguments.of("machine in an unknown failure domain", List.of(fd(A)), List.of(B1), List.of(), Set.of(A)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void pickFewest(String name, List<FailureDomain> fds, List<Machine> all, List<Machine> upToDate, Set<String> expected) {
    Optional<String> picked = FailureDomainSpread.pickFewest(fds, all, upToDate);
    if (expected.isEmpty()) {
      assertTrue(picked.isEmpty(), "no failure domain expected, got " + picked);
    } else {
      assertTrue(picked.isPresent() && expected.contains(picked.get()), "expected one of " + expected + ", got " + picked);
    }
  }

  static Stream<Arguments> pickMost() {
    return Stream.of(
        // A.1 3 fds, scale down during a rollout
        Arguments.of("3 fds, 3 outdated 1 new, 4 to 3", FDS3, List.of(A1_OLD, A1_NEW, B1_OLD, C1_OLD),
            List.of(A1_OLD, B1_OLD, C1_OLD), Set.of(A)),
        Arguments.of("3 fds, 2 outdated 2 new", FDS3, List.of(A1_NEW, B1_OLD, B1_NEW, C1_OLD), List.of(B1_OLD, C1_OLD),
            Set.of(B)),
        Arguments.of("3 fds, 1 outdated 3 new", FDS3, List.of(A1_NEW, B1_NEW, C1_OLD, C1_NEW), List.of(C1_OLD), Set.of(C)),
        // A.2 scale down to 0
        Arguments.of("3 fds, 3 machines, 3 to 2", FDS3, List.of(A1, B1, C1), List.of(A1, B1, C1), Set.of(A, B, C)),
        Arguments.of("3 fds, 2 machines, 2 to 1", FDS3, List.of(B1, C1), List.of(B1, C1), Set.of(B, C)),
        Arguments.of("3 fds, 1 machine, 1 to 0", FDS3, List.of(C1), List.of(C1), Set.of(C)),
        // A.3 delete annotation or unhealthy
        Arguments.of("3 fds, 3 machines, 1 eligible", FDS3, List.of(A1, B1, C1), List.of(A1), Set.of(A)),
        Arguments.of("3 fds, 3 machines, 2 eligible", FDS3, List.of(A1, B1, C1), List.of(A1, B1), Set.of(A, B)),
        // B.1 2 fds rollout
        Arguments.of("2 fds, 3 outdated 1 new", FDS2, List.of(A1_OLD, A2_OLD, B1_OLD, B2_NEW),
            List.of(A1_OLD, A2_OLD, B1_OLD), Set.of(A)),
        Arguments.of("2 fds, 2 outdated 2 new", FDS2, List.of(A1_NEW, A2_OLD, B1_OLD, B2_NEW), List.of(A2_OLD, B1_OLD),
            Set.of(A, B)),
        Arguments.of("2 fds, 1 outdated 3 new", FDS2, List.of(A1_NEW, A2_NEW, B1_OLD, B2_NEW), List.of(B1_OLD), Set.of(B)),
        // B.2 scale down
        Arguments.of("2 fds, 3 machines, 3 to 2", FDS2, List.of(A1, A2, B1), List.of(A1, A2, B1), Set.of(A)),
        Arguments.of("2 fds, 2 machines, 2 to 1", FDS2, List.of(A1, B1), List.of(A1, B1), Set.of(A, B)),
        Arguments.of("2 fds, 1 machine, 1 to 0", FDS2, List.of(B1), List.of(B1), Set.of(B)),
        // B.3 prioritized machines
        Arguments.of("2 fds, 3 machines, 1 eligible", FDS2, List.of(A1, A2, B1), List.of(B1), Set.of(B)),
        Arguments.of("2 fds, 3 machines, 2 eligible", FDS2, List.of(A1, A2, B1), List.of(A2, B1), Set.of(A)),
        // C.1 3 fds 5 machines rollout
        Arguments.of("3 fds, 5 outdated 1 new", FDS3, List.of(A1_OLD, A2_OLD, B1_OLD, B2_OLD, C1_OLD, C1_NEW),
            List.of(A1_OLD, A2_OLD, B1_OLD, B2_OLD, C1_OLD), Set.of(A, B)),
        Arguments.of("3 fds, 4 outdated 2 new", FDS3, List.of(A1_OLD, A1_NEW, B1_OLD, B2_OLD, C1_OLD, C1_NEW),
            List.of(A1_OLD, B1_OLD, B2_OLD, C1_OLD), Set.of(B)),
        Arguments.of("3 fds, 3 outdated 3 new", FDS3, List.of(A1_OLD, A1_NEW, B1_OLD, B1_NEW, C1_OLD, C1_NEW),
            List.of(A1_OLD, B1_OLD, C1_OLD), Set.of(A, B, C)),
        Arguments.of("3 fds, 2 outdated 4 new", FDS3, List.of(A1_NEW, A2_NEW, B1_OLD, B1_NEW, C1_OLD, C1_NEW),
            List.of(B1_OLD, C1_OLD), Set.of(B, C)),
        Arguments.of("3 fds, 1 outdated 5 new", FDS3, List.of(A1_NEW, A2_NEW, B1_NEW, B2_NEW, C1_OLD, C1_NEW),
            List.of(C1_OLD), Set.of(C)),
        // C.2 scale down
        Arguments.of("3 fds, 5 machines, 5 to 4", FDS3, List.of(A1, A2, B1, B2, C1), List.of(A1, A2, B1, B2, C1),
            Set.of(A, B)),
        Arguments.of("3 fds, 4 machines, 4 to 3", FDS3, List.of(A1, B1, B2, C1), List.of(A1, B1, B2, C1), Set.of(B)),
        // C.3 prioritized
        Arguments.of("3 fds, 5 machines, 1 eligible", FDS3, List.of(A1, A2, B1, B2, C1), List.of(C1), Set.of(C)),
        Arguments.of("3 fds, 5 machines, 2 eligible", FDS3, List.of(A1, A2, B1, B2, C1), List.of(A2, C1), Set.of(A)),
        // D no failure domains
        Arguments.of("no fds, rollout", FDS0, List.of(A1_OLD, A1_NEW, B1_OLD, C1_OLD), List.of(A1_OLD, B1_OLD, C1_OLD),
            Set.of()),
        Arguments.of("no fds, scale down", FDS0, List.of(B1, C1), List.of(B1, C1), Set.of()),
        // edge cases and TestPickMost
        Arguments.of("no eligible machines", FDS3, List.of(A1, B1, C1), List.of(), Set.of()),
        Arguments.of("no machines", FDS3, List.of(), List.of(), Set.of()),
        Arguments.of("machine without failure domain", List.of(fd(A)), List.of(machine("nil")), List.of(machine("nil")),
            Set.of()),
        Arguments.of("machine in an unknown failure domain", List.of(fd(A)), List.of(B1), List.of(B1), Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void pickMost(String name, List<FailureDomain> fds, List<Machine> all, List<Machine> eligible, Set<String> expected) {
    Optional<String> picked = FailureDomainSpread.pickMost(fds, all, eligible);
    if (expected.isEmpty()) {
      assertTrue(picked.isEmpty(), "no failure domain expected, got " + picked);
    } else {
      assertTrue(picked.isPresent() && expected.contains(picked.get()), "expected one of " + expected + ", got " + picked);
    }
  }

  @org.junit.jupiter.api.Test
  void tiesGoToTheDomainListedFirstSoPlacementIsStable() {
    assertEquals(Optional.of(A), FailureDomainSpread.pickFewest(FDS3, List.of(), List.of()));
    assertEquals(Optional.of(B), FailureDomainSpread.pickMost(FDS3, List.of(B1, C1), List.of(B1, C1)));
  }
}
