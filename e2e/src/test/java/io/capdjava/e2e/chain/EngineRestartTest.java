package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Docker engine (our own dockerd, {@code hack/docker.sh restart}) restarts while a 1 CP + 1 worker cluster is
 * being provisioned: every container stops with it and comes back by its restart policy. Our providers, as processes
 * of their own, reconnect (engine calls and the events stream) and the cluster converges with nothing duplicated or
 * orphaned.
 */
@Tag("on-demand")
@Tag("faults")
@ExtendWith(ManagementPlaneExtension.class)
class EngineRestartTest {
  @Test
  void clusterConvergesAfterTheEngineRestartsDuringProvisioning(ManagementPlane plane) throws Exception {
    Path logs = ClusterManifest.repoRoot().resolve("e2e/target/engine-restart");
    Providers providers = Providers.asProcesses(plane, Map.of(), logs, List.of());
    E2eCluster cluster = E2eCluster.create(plane, "engine-restart", "engine", 1, 1, providers);
    cluster.exercise(c -> {
      waitFor("the first control plane container", Duration.ofMinutes(3), () ->
          c.containers().size() >= 2 ? Boolean.TRUE : null);
      c.log("first node's container up; restarting the Docker engine");
      QuickStartTest.run("bash", ClusterManifest.repoRoot().resolve("hack/docker.sh").toString(), "restart");
      Instant back = Instant.now();
      c.log("Docker engine back");

      KcpScaleTest.waitForHealthyControlPlane(c, 1);
      waitFor("two Ready Nodes", Duration.ofMinutes(8), () -> c.readyNodes().size() == 2
          && c.machines(false).stream().allMatch(E2eCluster::running) ? Boolean.TRUE : null);
      long converged = Duration.between(back, Instant.now()).toSeconds();
      ClusterConsistency.assertNoDuplicateOrOrphan(c);
      System.out.printf("engine-restart: Docker engine restarted during provisioning; 1 CP + 1 worker Ready %d s after"
          + " it answered again; provider restarts: %s%n", converged,
          providers.processes.stream().map(p -> p.name + " " + p.exits().size()).toList());
    });
  }
}
