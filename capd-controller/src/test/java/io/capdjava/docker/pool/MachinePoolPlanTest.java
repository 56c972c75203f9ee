package io.capdjava.docker.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.docker.pool.MachinePoolPlan.Actions;
import io.capdjava.docker.pool.MachinePoolPlan.Instance;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MachinePool decisions: scale up, down, to zero, replace outdated instances, clean up half-made ones. */
class MachinePoolPlanTest {
  private static final String V1 = "kindest/node:v1.34.4";
  private static final String V2 = "kindest/node:v1.35.0";

  private static Instance ready(String name, String image, String created) {
    return new Instance(name, image, true, true, false, false, created);
  }

  @Test
  void anEmptyPoolCreatesEveryReplica() {
    assertEquals(new Actions(3, List.of(), List.of()), MachinePoolPlan.decide(3, V1, List.of()));
  }

  @Test
  void aContainerWithoutItsMachineGetsOneAndCountsAsCreated() {
    Instance half = new Instance("w-a", V1, false, false, false, false, "1");
    assertEquals(new Actions(0, List.of("w-a"), List.of()), MachinePoolPlan.decide(1, V1, List.of(half)));
  }

  @Test
  void scalingUpCreatesOnlyTheMissingOnes() {
    assertEquals(2, MachinePoolPlan.decide(3, V1, List.of(ready("w-a", V1, "1"))).containersToCreate());
  }

  @Test
  void scalingDownRemovesTheNewestReadyOnesFirstAndHonoursTheDeleteAnnotation() {
    List<Instance> three = List.of(ready("w-a", V1, "1"), ready("w-b", V1, "2"), ready("w-c", V1, "3"));
    assertEquals(List.of("w-c", "w-b"), MachinePoolPlan.decide(1, V1, three).machinesToDelete());
    List<Instance> marked = List.of(new Instance("w-a", V1, true, true, false, true, "1"), ready("w-b", V1, "2"),
        ready("w-c", V1, "3"));
    assertEquals(List.of("w-a"), MachinePoolPlan.decide(2, V1, marked).machinesToDelete());
  }

  @Test
  void scalingToZeroRemovesEveryReadyInstanceAndCreatesNone() {
    List<Instance> two = List.of(ready("w-a", V1, "1"), ready("w-b", V1, "2"));
    assertEquals(new Actions(0, List.of(), List.of("w-b", "w-a")), MachinePoolPlan.decide(0, V1, two));
  }

  @Test
  void instancesStillProvisioningAreNotRemovedBeforeTheyAreReady() {
    List<Instance> provisioning = List.of(new Instance("w-a", V1, true, false, false, false, "1"),
        new Instance("w-b", V1, true, false, false, false, "2"));
    assertEquals(List.of(), MachinePoolPlan.decide(1, V1, provisioning).machinesToDelete());
  }

  @Test
  void aNewVersionRollsOutWithoutDroppingBelowTheWantedCount() {
    List<Instance> old = List.of(ready("w-a", V1, "1"), ready("w-b", V1, "2"));
    // first pass: two new instances, nothing removed yet
    assertEquals(new Actions(2, List.of(), List.of()), MachinePoolPlan.decide(2, V2, old));
    // one new one ready: one old one may go
    List<Instance> oneNew = List.of(ready("w-a", V1, "1"), ready("w-b", V1, "2"), ready("w-c", V2, "3"),
        new Instance("w-d", V2, true, false, false, false, "4"));
    assertEquals(new Actions(0, List.of(), List.of("w-a")), MachinePoolPlan.decide(2, V2, oneNew));
    // both new ones ready, one old one already going: the other old one goes, nothing more
    List<Instance> bothNew = List.of(new Instance("w-a", V1, true, true, true, false, "1"), ready("w-b", V1, "2"),
        ready("w-c", V2, "3"), ready("w-d", V2, "4"));
    assertEquals(new Actions(0, List.of(), List.of("w-b")), MachinePoolPlan.decide(2, V2, bothNew));
  }

  @Test
  void aMachineWhoseContainerWasRemovedIsDeletedAndReplaced() {
    List<Instance> gone = List.of(ready("w-a", V1, "1"), new Instance("w-b", null, true, true, false, false, "2"));
    assertEquals(new Actions(1, List.of(), List.of("w-b")), MachinePoolPlan.decide(2, V1, gone));
  }

  @Test
  void instancesBeingDeletedAreNotPickedOrCountedAgain() {
    List<Instance> deleting = List.of(new Instance("w-a", V1, true, true, true, false, "1"), ready("w-b", V1, "2"));
    assertEquals(new Actions(0, List.of(), List.of()), MachinePoolPlan.decide(1, V1, deleting));
  }
}
