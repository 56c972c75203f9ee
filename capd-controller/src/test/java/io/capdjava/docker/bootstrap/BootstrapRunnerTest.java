package io.capdjava.docker.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.docker.machine.NodeContainer;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's bootstrap runs at most once at a time across provider restarts (a lock in the node), on a real node
 * container: a second runner waits for a live one instead of starting its own run, and a runner that comes after a
 * dead one waits for the step that one left running, then carries on after it.
 */
class BootstrapRunnerTest {
  private static final String NODE_IMAGE = "kindest/node:v1.34.4";
  private final String cluster = "br-" + ProcessHandle.current().pid();
  private DockerEngineRuntime runtime;
  private String node;

  @BeforeEach
  void startNode() {
    runtime = DockerEngineRuntime.connect();
    runtime.ensureNetwork("kind");
    node = runtime.run(NodeContainer.spec(cluster, "n" + System.nanoTime() % 100000, NODE_IMAGE, false, null, null,
        SecurityProfiles.choose("auto", runtime))).name();
  }

  @AfterEach
  void removeNode() throws Exception {
    runtime.remove(node);
    runtime.close();
  }

  /** Three steps logging their number into the node; the second takes a while; the last writes the sentinel. */
  private static List<BootstrapStep> steps() {
    return List.of(
        new BootstrapStep("one", List.of("sh", "-c", "echo 1 >> /root/steps.log"), null),
        new BootstrapStep("two", List.of("sh", "-c", "sleep 6; echo 2 >> /root/steps.log"), null),
        new BootstrapStep("three", List.of("sh", "-c", "echo 3 >> /root/steps.log; mkdir -p /run/cluster-api"
            + " && touch " + BootstrapRunner.SUCCESS_SENTINEL), null));
  }

  private String log() {
    return runtime.exec(node, List.of("cat", "/root/steps.log"), Duration.ofSeconds(10)).output();
  }

  private void waitForLine(String line) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(90);
    while (!log().lines().toList().contains(line)) {
      assertTrue(Instant.now().isBefore(deadline), "step " + line + " started");
      Thread.sleep(200);
    }
  }

  @Test
  void aSecondRunnerWaitsForTheLiveOneInsteadOfBootstrappingAgain() throws Exception {
    BootstrapRunner first = new BootstrapRunner(runtime);
    BootstrapRunner second = new BootstrapRunner(runtime);
    CompletableFuture<BootstrapRunner.Outcome> running = CompletableFuture.supplyAsync(
        () -> first.run(node, steps(), List.of(), Duration.ofMinutes(2), () -> false));
    waitForLine("1");

    BootstrapRunner.Outcome meanwhile = second.run(node, steps(), List.of(), Duration.ofMinutes(2), () -> false);
    assertTrue(meanwhile.inProgress(), meanwhile.message());
    assertTrue(meanwhile.message().contains("in progress"), meanwhile.message());

    assertTrue(running.get(2, TimeUnit.MINUTES).succeeded());
    assertTrue(second.run(node, steps(), List.of(), Duration.ofMinutes(2), () -> false).alreadyDone());
    assertEquals("1\n2\n3\n", log(), "each step ran once");
  }

  @Test
  void aRunnerAfterADeadOneWaitsForItsStepAndCarriesOnAfterIt() throws Exception {
    // the first runner stops waiting while step two runs, as a killed provider does: step two goes on in the node
    BootstrapRunner dead = new BootstrapRunner(runtime, Duration.ofSeconds(2), Duration.ofMillis(500));
    Instant stopAt = Instant.now().plusSeconds(600);
    CompletableFuture<BootstrapRunner.Outcome> running = CompletableFuture.supplyAsync(
        () -> dead.run(node, steps(), List.of(), Duration.ofMinutes(2), () -> Instant.now().isAfter(stopAt)
            || log().contains("1\n") && !log().contains("2")));
    BootstrapRunner.Outcome stopped = running.get(2, TimeUnit.MINUTES);
    assertTrue(stopped.cancelled(), stopped.message());

    BootstrapRunner next = new BootstrapRunner(runtime, Duration.ofSeconds(2), Duration.ofMillis(500));
    Thread.sleep(2500); // the dead runner's heartbeat goes stale
    BootstrapRunner.Outcome whileStepTwoRuns = next.run(node, steps(), List.of(), Duration.ofMinutes(2), () -> false);
    assertTrue(whileStepTwoRuns.inProgress(), whileStepTwoRuns.message());
    assertTrue(whileStepTwoRuns.message().contains("step 2"), whileStepTwoRuns.message());

    waitForLine("2");
    BootstrapRunner.Outcome resumed = next.run(node, steps(), List.of(), Duration.ofMinutes(2), () -> false);
    assertTrue(resumed.succeeded(), resumed.message());
    assertEquals("1\n2\n3\n", log(), "steps one and two were not run again");
  }

  @Test
  void stepsThatDoNotWriteTheSentinelFailTheRunAndFreeTheNodeForAFreshOne() throws Exception {
    BootstrapRunner runner = new BootstrapRunner(runtime);
    List<BootstrapStep> noSentinel = List.of(
        new BootstrapStep("one", List.of("sh", "-c", "echo 1 >> /root/steps.log"), null));
    BootstrapRunner.Outcome failed = runner.run(node, noSentinel, List.of(), Duration.ofMinutes(2), () -> false);
    assertFalse(failed.succeeded());
    assertTrue(failed.message().contains(BootstrapRunner.SUCCESS_SENTINEL + " was not written"), failed.message());

    // the lock went with the failed run: a retry runs every step, not "in progress", not resumed
    BootstrapRunner.Outcome retried = runner.run(node, steps(), List.of(), Duration.ofMinutes(2), () -> false);
    assertTrue(retried.succeeded(), retried.message());
    assertFalse(retried.alreadyDone());
    assertEquals("1\n1\n2\n3\n", log());
    assertTrue(runner.alreadyBootstrapped(node));
  }
}
