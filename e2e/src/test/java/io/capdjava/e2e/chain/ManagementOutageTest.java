package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The management cluster's API server goes away for a minute while a 1 CP + 1 worker cluster is being provisioned
 * (its first node's container exists, kubeadm runs), and comes back with the same state: our providers, as processes
 * of their own, ride it out without restarting, and the cluster converges with nothing duplicated or orphaned.
 */
@Tag("on-demand")
@Tag("faults")
@ExtendWith(ManagementPlaneExtension.class)
class ManagementOutageTest {
  static final int OUTAGE_SECONDS = 60;

  @Test
  void providersRideOutAMinuteWithoutTheManagementApi(ManagementPlane plane) throws Exception {
    Path logs = ClusterManifest.repoRoot().resolve("e2e/target/management-outage");
    Providers providers = Providers.asProcesses(plane, Map.of(), logs, List.of());
    E2eCluster cluster = E2eCluster.create(plane, "management-outage", "outage", 1, 1, providers);
    cluster.exercise(c -> {
      waitFor("the first control plane container", Duration.ofMinutes(3), () ->
          c.containers().size() >= 2 ? Boolean.TRUE : null);
      c.log("first node's container up; stopping the management API server for " + OUTAGE_SECONDS + " s");
      QuickStartTest.run("env", "TESTENV_DIR=" + plane.kubeconfig().getParent(), "bash",
          ClusterManifest.repoRoot().resolve("hack/testenv.sh").toString(), "apiserver-outage",
          Integer.toString(OUTAGE_SECONDS));
      Instant back = Instant.now();
      c.log("management API server back");

      KcpScaleTest.waitForHealthyControlPlane(c, 1);
      waitFor("two Ready Nodes", Duration.ofMinutes(5), () -> c.readyNodes().size() == 2
          && c.machines(false).stream().allMatch(E2eCluster::running) ? Boolean.TRUE : null);
      long converged = Duration.between(back, Instant.now()).toSeconds();
      c.log("1 CP + 1 worker Ready " + converged + " s after the API server came back");
      ClusterConsistency.assertNoDuplicateOrOrphan(c);
      for (ProviderProcess p : providers.processes) assertEquals(List.of(), p.exits(), p.name + " kept running");
      System.out.printf("management-outage: API server down %d s during provisioning; cluster Ready %d s after it"
          + " came back; providers restarted: none%n", OUTAGE_SECONDS, converged);
    });
  }
}
