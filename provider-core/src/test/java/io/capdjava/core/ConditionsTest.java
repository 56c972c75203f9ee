package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  @AfterEach
  void realClock() {
    Conditions.useClock(Clock.systemUTC());
  }

  @Test
  void reSettingTheSameStatusKeepsTheTransitionTime() {
    Conditions.useClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    List<Condition> conditions = Conditions.set(null, Conditions.isFalse("LoadBalancerAvailable", "NotAvailable", "x", 1L));
    Conditions.useClock(Clock.fixed(Instant.parse("2026-01-01T00:05:00Z"), ZoneOffset.UTC));
    Conditions.set(conditions, Conditions.isFalse("LoadBalancerAvailable", "NotAvailable", "y", 2L));

    assertEquals(1, conditions.size());
    Condition c = conditions.get(0);
    assertEquals("2026-01-01T00:00:00Z", c.getLastTransitionTime());
    assertEquals("y", c.getMessage());
    assertEquals(2L, c.getObservedGeneration());
  }

  @Test
  void aStatusChangeMovesTheTransitionTime() {
    Conditions.useClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    List<Condition> conditions = Conditions.set(null, Conditions.isFalse("A", "NotYet", "", 1L));
    Conditions.useClock(Clock.fixed(Instant.parse("2026-01-01T00:05:00Z"), ZoneOffset.UTC));
    Conditions.set(conditions, Conditions.isTrue("A", "Done", 1L));

    assertEquals("2026-01-01T00:05:00Z", conditions.get(0).getLastTransitionTime());
    assertTrue(Conditions.isTrue(conditions, "A"));
  }

  @Test
  void summaryIsFalseWhenAnyIsFalseAndNamesIt() {
    List<Condition> conditions = Conditions.set(null, Conditions.isTrue("ContainerProvisioned", "Provisioned", 1L));
    Conditions.set(conditions, Conditions.isFalse("BootstrapExecSucceeded", "NotSucceeded", "kubeadm exited 1", 1L));

    Condition ready = Conditions.summary(conditions, 1L, "ContainerProvisioned", "BootstrapExecSucceeded");

    assertEquals("Ready", ready.getType());
    assertEquals("False", ready.getStatus());
    assertEquals("NotReady", ready.getReason());
    assertEquals("* BootstrapExecSucceeded: kubeadm exited 1", ready.getMessage());
  }

  @Test
  void summaryIsUnknownWhileAConditionIsMissing() {
    List<Condition> conditions = Conditions.set(null, Conditions.isTrue("ContainerProvisioned", "Provisioned", 1L));

    Condition ready = Conditions.summary(conditions, 1L, "ContainerProvisioned", "BootstrapExecSucceeded");

    assertEquals("Unknown", ready.getStatus());
    assertEquals("ReadyUnknown", ready.getReason());
    assertTrue(ready.getMessage().contains("BootstrapExecSucceeded"));
  }

  @Test
  void summaryIsTrueWhenAllAreTrue() {
    List<Condition> conditions = Conditions.set(null, Conditions.isTrue("A", "Done", 3L));
    Conditions.set(conditions, Conditions.isTrue("B", "Done", 3L));

    Condition ready = Conditions.summary(conditions, 3L, "A", "B");

    assertEquals("True", ready.getStatus());
    assertEquals("Ready", ready.getReason());
    assertEquals(3L, ready.getObservedGeneration());
  }

  @Test
  void mirrorCopiesAnotherObjectsConditionUnderANewType() {
    List<Condition> machine = Conditions.set(null, Conditions.isFalse("Ready", "NotReady", "* X: y", 1L));

    Condition mirrored = Conditions.mirror(machine, "Ready", "InfrastructureReady", 7L);

    assertEquals("InfrastructureReady", mirrored.getType());
    assertEquals("False", mirrored.getStatus());
    assertEquals("* X: y", mirrored.getMessage());
    assertEquals(7L, mirrored.getObservedGeneration());
    assertNotEquals("True", Conditions.mirror(List.of(), "Ready", "InfrastructureReady", 7L).getStatus());
    assertFalse(Conditions.isTrue(null, "Ready"));
  }
}
