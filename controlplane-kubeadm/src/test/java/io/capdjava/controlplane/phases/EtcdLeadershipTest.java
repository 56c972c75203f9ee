package io.capdjava.controlplane.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineNodeReference;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code getCandidatesForEtcdLeadership}: which Machine takes over etcd leadership. */
class EtcdLeadershipTest {
  static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  static Machine machine(String name, int ageMinutes, boolean node, String... trueConditions) {
    Machine m = new Machine();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp(T0.minusSeconds(60L * ageMinutes)
        .toString()).build());
    m.setSpec(new MachineSpec());
    m.setStatus(new MachineStatus());
    m.getStatus().conditions = new ArrayList<>();
    for (String c : trueConditions) m.getStatus().conditions.add(Conditions.isTrue(c, "r", 1L));
    if (node) {
      m.getStatus().nodeRef = new MachineNodeReference();
      m.getStatus().nodeRef.name = name;
    }
    return m;
  }

  static List<String> names(List<Machine> machines) {
    return machines.stream().map(MachineFacts::name).toList();
  }

  @Test
  void healthyMemberFirstThenHealthCheckThenUpToDateThenNewest() {
    Machine leaving = machine("leaving", 30, true, "EtcdMemberHealthy");
    Machine unhealthyMember = machine("unhealthy-member", 1, true, "HealthCheckSucceeded", "UpToDate");
    Machine outdated = machine("outdated", 2, true, "EtcdMemberHealthy", "HealthCheckSucceeded");
    Machine older = machine("older", 20, true, "EtcdMemberHealthy", "HealthCheckSucceeded", "UpToDate");
    Machine newer = machine("newer", 10, true, "EtcdMemberHealthy", "HealthCheckSucceeded", "UpToDate");
    Machine noHealthCheck = machine("no-health-check", 5, true, "EtcdMemberHealthy", "UpToDate");
    assertEquals(List.of("newer", "older", "outdated", "no-health-check", "unhealthy-member"),
        names(EtcdLeadership.candidates(List.of(leaving, unhealthyMember, outdated, older, newer, noHealthCheck),
            leaving)));
  }

  @Test
  void machinesWithoutNodeOrDeletingAreNoCandidates() {
    Machine leaving = machine("leaving", 30, true);
    Machine provisioning = machine("provisioning", 1, false, "EtcdMemberHealthy");
    Machine deleting = machine("deleting", 5, true, "EtcdMemberHealthy");
    deleting.getMetadata().setDeletionTimestamp(T0.toString());
    Machine ok = machine("ok", 10, true);
    assertEquals(List.of("ok"), names(EtcdLeadership.candidates(List.of(leaving, provisioning, deleting, ok), leaving)));
  }
}
