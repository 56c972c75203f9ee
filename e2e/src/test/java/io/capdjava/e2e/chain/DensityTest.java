package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.core.Conditions;
import io.capdjava.docker.Labels;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Density (#18): five 1 CP + 1 worker clusters applied at once, on one set of our providers, all Available on this
 * 2-core machine (ten nodes: within the host's inotify limit as hack/docker.sh raises it); then all deleted at once,
 * nothing left. Prints each cluster's time to Available and the deletion time. On demand (about 5 minutes).
 */
@Tag("on-demand")
@ExtendWith(ManagementPlaneExtension.class)
class DensityTest {
  private static final int CLUSTERS = Integer.getInteger("capd.density.clusters", 5);

  @Test
  void fiveClustersComeUpAtOnceAndGoAwayCompletely(ManagementPlane plane) throws Exception {
    Providers providers = new Providers(plane.client(), plane.namespace());
    List<E2eCluster> clusters = new ArrayList<>();
    Instant start = Instant.now();
    try {
      for (int i = 0; i < CLUSTERS; i++) {
        clusters.add(E2eCluster.create(plane, "density", "dens" + i, 1, 1, providers));
      }
      Map<String, Long> available = new LinkedHashMap<>();
      waitFor(CLUSTERS + " clusters Available", Duration.ofMinutes(15), () -> {
        for (E2eCluster c : clusters) {
          if (available.containsKey(c.name)) continue;
          Cluster cluster = c.client.resources(Cluster.class).inNamespace(c.namespace).withName(c.name).get();
          if (cluster.getStatus() != null && Conditions.isTrue(cluster.getStatus().conditions, "Available")
              && c.readyNodes().size() == 2) {
            available.put(c.name, Duration.between(start, Instant.now()).toSeconds());
          }
        }
        return available.size() == CLUSTERS ? Boolean.TRUE : null;
      });
      System.out.println("density: " + CLUSTERS + " clusters of 1 CP + 1 worker Available after (s): " + available);

      Instant deleting = Instant.now();
      for (E2eCluster c : clusters) c.client.resources(Cluster.class).inNamespace(c.namespace).withName(c.name).delete();
      waitFor("every Cluster gone", Duration.ofMinutes(5), () -> clusters.stream().allMatch(c -> c.client
          .resources(Cluster.class).inNamespace(c.namespace).withName(c.name).get() == null) ? Boolean.TRUE : null);
      System.out.println("density: " + CLUSTERS + " clusters deleted in "
          + Duration.between(deleting, Instant.now()).toSeconds() + " s");
      for (E2eCluster c : clusters) {
        assertEquals(List.of(), providers.runtime.list(Map.of(Labels.CLUSTER, c.name)), c.name + ": no container left");
      }
    } catch (Throwable t) {
      for (E2eCluster c : clusters) c.saveDiagnostics();
      throw t;
    } finally {
      providers.close();
      try (var runtime = io.capdjava.docker.runtime.DockerEngineRuntime.connect()) {
        for (E2eCluster c : clusters) {
          for (var container : runtime.list(Map.of(Labels.CLUSTER, c.name))) runtime.remove(container.name());
        }
      }
    }
  }
}
