package io.capdjava.bootstrap.reconciler;

import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Action.CHECK_LATER;
import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Action.EXTEND;
import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Action.MISSING;
import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Action.NOTHING;
import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Action.ROTATE;
import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Stage.JOINED;
import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Stage.JOINING;
import static io.capdjava.bootstrap.reconciler.JoinTokenUpkeep.Stage.POOL_JOINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachinePool;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a join token is extended, rotated or left alone, per owner kind (upstream's rules, TTL 15m). */
class JoinTokenUpkeepTest {
  private static final Duration TTL = Duration.ofMinutes(15);
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void aMachineTokenIsExtendedOnlyOnceLessThanFiveSixthsOfTheTtlIsLeftAndForgottenOnceItsNodeJoined() {
    assertEquals(CHECK_LATER, decide(JOINING, false, true, NOW.plus(TTL)), "fresh");
    assertEquals(CHECK_LATER, decide(JOINING, false, true, NOW.plus(Duration.ofSeconds(12 * 60 + 31))), "> 12m30s left");
    assertEquals(EXTEND, decide(JOINING, false, true, NOW.plus(Duration.ofSeconds(12 * 60 + 30))), "12m30s left");
    assertEquals(EXTEND, decide(JOINING, false, true, NOW.minusSeconds(1)), "already expired");
    assertEquals(EXTEND, decide(JOINING, false, true, null), "no readable expiration: one is written");
    assertEquals(MISSING, decide(JOINING, false, false, null),
        "gone: a new token would not reach a Node that already runs its data");
    assertEquals(NOTHING, decide(JOINED, false, true, NOW.plusSeconds(1)), "joined: never looked at again");
  }

  @Test
  void aPoolStillJoiningHasItsTokenExtendedInPlaceOrRecreatedWhenGone() {
    assertEquals(CHECK_LATER, decide(JOINING, true, true, NOW.plus(TTL)));
    assertEquals(EXTEND, decide(JOINING, true, true, NOW.plus(TTL.multipliedBy(3).dividedBy(4))),
        "instances joining run with this token: it is extended, not replaced");
    assertEquals(ROTATE, decide(JOINING, true, false, null), "gone: new data for the instances still to come");
  }

  @Test
  void aPoolWithAllNodesJoinedGetsANewTokenBeforeHalfTheTtlIsLeft() {
    assertEquals(CHECK_LATER, decide(POOL_JOINED, true, true, NOW.plus(TTL)));
    assertEquals(CHECK_LATER, decide(POOL_JOINED, true, true, NOW.plus(TTL.dividedBy(2))), "exactly half left");
    assertEquals(ROTATE, decide(POOL_JOINED, true, true, NOW.plus(TTL.dividedBy(2)).minusSeconds(1)));
    assertEquals(ROTATE, decide(POOL_JOINED, true, true, NOW.plus(TTL.multipliedBy(4).dividedBy(10))));
    assertEquals(ROTATE, decide(POOL_JOINED, true, false, null), "gone (deleted on expiry)");
    assertEquals(ROTATE, decide(POOL_JOINED, true, true, null), "expiration unreadable");
  }

  @Test
  void checksRunThreeTimesPerTtl() {
    assertEquals(Duration.ofMinutes(5), JoinTokenUpkeep.checkInterval(TTL));
    assertEquals(Duration.ofSeconds(750), JoinTokenUpkeep.skipRefreshIfExpiringAfter(TTL));
  }

  @Test
  void aMachineHasJoinedWithItsNodeRef() {
    assertEquals(JOINING, JoinTokenUpkeep.stage(machine("status: {}\n")));
    assertEquals(JOINED, JoinTokenUpkeep.stage(machine("status:\n  nodeRef:\n    name: node-0\n")));
  }

  @Test
  void aPoolHasJoinedWhenItHasAsManyNodeRefsAsReplicas() {
    String twoRefs = "status:\n  nodeRefs:\n  - kind: Node\n    name: a\n  - kind: Node\n    name: b\n";
    assertEquals(JOINING, JoinTokenUpkeep.stage(pool("  replicas: 2\n", "status: {}\n")));
    assertEquals(JOINING, JoinTokenUpkeep.stage(pool("  replicas: 3\n", twoRefs)), "scaling up");
    assertEquals(JOINING, JoinTokenUpkeep.stage(pool("  replicas: 1\n", twoRefs)), "scaling down: as upstream");
    assertEquals(POOL_JOINED, JoinTokenUpkeep.stage(pool("  replicas: 2\n", twoRefs)));
    assertEquals(POOL_JOINED, JoinTokenUpkeep.stage(pool("  replicas: 0\n", "status: {}\n")),
        "scaled to zero: only future instances need the token");
    assertEquals(JOINING, JoinTokenUpkeep.stage(pool("", "status: {}\n")), "replicas default to 1");
  }

  @Test
  void aPoolIsAWorkerWithTheVersionAndDataSecretOfItsTemplate() {
    ConfigOwner owner = pool("  replicas: 1\n  template:\n    spec:\n      version: v1.34.1\n      bootstrap:\n"
        + "        dataSecretName: pool-data\n", "status: {}\n");
    assertTrue(owner.isMachinePool());
    assertFalse(owner.isControlPlane());
    assertEquals("v1.34.1", owner.kubernetesVersion());
    assertEquals("spec.template.spec.version", owner.versionField());
    assertEquals("pool-data", owner.dataSecretName());
    assertEquals("c1", owner.clusterName());
    assertEquals("MachinePool", owner.kind());
  }

  private static JoinTokenUpkeep.Action decide(JoinTokenUpkeep.Stage stage, boolean pool, boolean exists,
      Instant expiration) {
    return JoinTokenUpkeep.decide(stage, pool, exists, expiration, NOW, TTL);
  }

  private static ConfigOwner machine(String status) {
    return new ConfigOwner.OfMachine(Serialization.unmarshal("apiVersion: cluster.x-k8s.io/v1beta2\nkind: Machine\n"
        + "metadata:\n  name: m\nspec:\n  clusterName: c1\n" + status, Machine.class));
  }

  private static ConfigOwner pool(String spec, String status) {
    return new ConfigOwner.OfMachinePool(Serialization.unmarshal("apiVersion: cluster.x-k8s.io/v1beta2\n"
        + "kind: MachinePool\nmetadata:\n  name: p\nspec:\n  clusterName: c1\n" + spec + status, MachinePool.class));
  }
}
