package io.capdjava.e2e.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clusters created and deleted again and again ({@code capd.cycles}, default 20; one control plane Machine each) by
 * the same provider processes: every deletion leaves no container, volume, secret or configmap, and the providers'
 * live heap after a full collection stays flat (a leak per cluster would grow it cycle after cycle).
 */
@Tag("on-demand")
@Tag("faults")
@ExtendWith(ManagementPlaneExtension.class)
class CreateDeleteCyclesTest {
  /** The first cycles fill caches and load classes; the live heap is compared from then on. */
  static final int WARM_UP_CYCLES = 3;
  /** How much the live heap may grow after warm-up: allocation noise, not a leak per cluster. */
  static final double TOLERATED_GROWTH = 1.25;
  static final long TOLERATED_GROWTH_FLOOR_KIB = 8 * 1024;

  @Test
  void clustersCreatedAndDeletedRepeatedlyLeaveNothingAndProviderMemoryStaysFlat(ManagementPlane plane)
      throws Exception {
    int cycles = Integer.getInteger("capd.cycles", 20);
    Path logs = ClusterManifest.repoRoot().resolve("e2e/target/create-delete-cycles");
    try (Providers providers = Providers.asProcesses(plane, Map.of(), logs, List.of())) {
      List<long[]> heap = new ArrayList<>();
      for (int i = 1; i <= cycles; i++) {
        Instant start = Instant.now();
        E2eCluster cluster = E2eCluster.create(plane, "cycle-" + i, "cycle", 1, 0, providers);
        try {
          KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
          long up = Duration.between(start, Instant.now()).toSeconds();
          cluster.deleteAndCheckNothingIsLeft();
          long[] live = new long[providers.processes.size()];
          StringBuilder line = new StringBuilder();
          for (int p = 0; p < live.length; p++) {
            ProviderProcess process = providers.processes.get(p);
            live[p] = process.liveHeapKib();
            line.append(String.format(" %s %d/%d MiB", process.name, live[p] / 1024, process.residentKib() / 1024));
          }
          heap.add(live);
          System.out.printf("cycle %2d: up %d s, gone %d s; live heap/resident:%s%n", i, up,
              Duration.between(start, Instant.now()).toSeconds() - up, line);
        } catch (Throwable t) {
          cluster.saveDiagnostics();
          throw t;
        } finally {
          cluster.closeLeavingProviders();
        }
      }
      for (ProviderProcess p : providers.processes) {
        assertTrue(p.exits().isEmpty(), p.name + " kept running: " + p.exits());
      }
      if (cycles > WARM_UP_CYCLES) {
        for (int p = 0; p < providers.processes.size(); p++) {
          long after = heap.get(WARM_UP_CYCLES - 1)[p];
          long last = heap.get(cycles - 1)[p];
          long limit = Math.max((long) (after * TOLERATED_GROWTH), after + TOLERATED_GROWTH_FLOOR_KIB);
          assertTrue(last <= limit, providers.processes.get(p).name + ": live heap " + after / 1024 + " MiB after cycle "
              + WARM_UP_CYCLES + ", " + last / 1024 + " MiB after cycle " + cycles);
        }
      }
    }
  }
}
