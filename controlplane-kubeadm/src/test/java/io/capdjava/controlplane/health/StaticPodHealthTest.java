package io.capdjava.controlplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestUpdateStaticPodCondition}: what a static pod's mirror pod says about its component. */
class StaticPodHealthTest {
  static Node node(String ready) {
    return new NodeBuilder().withNewMetadata().withName("node").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus().build();
  }

  static PodBuilder pod(String phase) {
    return new PodBuilder().withNewMetadata().withName("kube-apiserver-node").endMetadata()
        .withNewStatus().withPhase(phase).endStatus();
  }

  static PodBuilder withCondition(PodBuilder pod, String type, String status) {
    return pod.editStatus().addToConditions(new PodConditionBuilder().withType(type).withStatus(status).build())
        .endStatus();
  }

  static StaticPodHealth.Verdict verdict(Node node, Pod pod) {
    return StaticPodHealth.of(node, Optional.ofNullable(pod)).orElseThrow();
  }

  static void assertVerdict(StaticPodHealth.Verdict v, String status, String reason, String message) {
    assertEquals(new StaticPodHealth.Verdict(status, reason, message), v);
  }

  @Test
  void aNodeWhoseReadinessIsUnknownMakesThePodDataStale() {
    assertVerdict(verdict(node("Unknown"), pod("Running").build()), "Unknown", "InspectionFailed",
        "Node Ready condition is Unknown, Pod data might be stale");
  }

  @Test
  void aMissingPodDoesNotExist() {
    assertVerdict(verdict(node("True"), null), "False", "DoesNotExist", "Pod does not exist");
  }

  @Test
  void pendingPodsAreProvisioning() {
    assertVerdict(verdict(node("True"), withCondition(pod("Pending"), "PodScheduled", "False").build()),
        "False", "Provisioning", "Waiting to be scheduled");
    PodBuilder scheduled = withCondition(pod("Pending"), "PodScheduled", "True");
    assertVerdict(verdict(node("True"), withCondition(scheduled, "Initialized", "False").build()),
        "False", "Provisioning", "Running init containers");
    PodBuilder initialized = withCondition(withCondition(pod("Pending"), "PodScheduled", "True"), "Initialized", "True");
    assertVerdict(verdict(node("True"), initialized.build()), "False", "Provisioning", "");
  }

  @Test
  void aRunningReadyPodIsHealthy() {
    assertVerdict(verdict(node("True"), withCondition(pod("Running"), "Ready", "True").build()), "True", "Running", "");
  }

  @Test
  void aRunningPodThatIsNotReadyTellsWhatItsContainersDo() {
    ContainerStatus waiting = new ContainerStatusBuilder().withNewState().withNewWaiting().withReason("Waiting something")
        .endWaiting().endState().build();
    assertVerdict(verdict(node("True"), pod("Running").editStatus().addToContainerStatuses(waiting).endStatus().build()),
        "False", "Provisioning", "Waiting something");

    ContainerStatus crashing = new ContainerStatusBuilder().withNewState().withNewWaiting().withReason("CrashLoopBackOff")
        .endWaiting().endState().withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState()
        .build();
    assertVerdict(verdict(node("True"), pod("Running").editStatus().addToContainerStatuses(crashing).endStatus().build()),
        "False", "Failed", "CrashLoopBackOff");

    ContainerStatus terminated = new ContainerStatusBuilder().withNewState().withNewTerminated().withReason("Error")
        .endTerminated().endState().build();
    assertVerdict(verdict(node("True"), pod("Running").editStatus().addToContainerStatuses(terminated).endStatus()
        .build()), "False", "Failed", "Error");

    assertVerdict(verdict(node("True"), pod("Running").build()), "False", "Provisioning",
        "Waiting for startup or readiness probes");
  }

  @Test
  void endedPodsFailedAndUnknownPodsAreUnknown() {
    assertVerdict(verdict(node("True"), pod("Succeeded").build()), "False", "Failed",
        "All the containers have been terminated");
    assertVerdict(verdict(node("True"), pod("Failed").build()), "False", "Failed",
        "All the containers have been terminated");
    assertVerdict(verdict(node("True"), pod("Unknown").build()), "Unknown", "InspectionFailed",
        "Pod is reporting Unknown status");
    assertTrue(StaticPodHealth.of(node("True"), Optional.of(pod("").build())).isEmpty(),
        "a pod without phase says nothing: the condition stays as it was");
  }
}
