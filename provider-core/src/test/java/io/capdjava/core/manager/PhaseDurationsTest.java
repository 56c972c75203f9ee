package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseDurationsTest {
  /** What a Prometheus scrape reads: cumulative buckets, then the sum and the count, per phase. */
  @Test
  void eachPhaseIsAHistogramInTheExpositionFormat() {
    String phase = "test_phase_" + System.nanoTime();
    PhaseDurations.observe(phase, Duration.ofMillis(700));
    PhaseDurations.observe(phase, Duration.ofSeconds(40));
    PhaseDurations.observe(phase, Duration.ofMinutes(20));
    List<String> lines = PhaseDurations.exposition().lines().filter(l -> l.contains(phase)).toList();
    String metric = PhaseDurations.METRIC;
    assertTrue(lines.contains(metric + "_bucket{phase=\"" + phase + "\",le=\"0.5\"} 0"), lines.toString());
    assertTrue(lines.contains(metric + "_bucket{phase=\"" + phase + "\",le=\"1\"} 1"), lines.toString());
    assertTrue(lines.contains(metric + "_bucket{phase=\"" + phase + "\",le=\"45\"} 2"), lines.toString());
    assertTrue(lines.contains(metric + "_bucket{phase=\"" + phase + "\",le=\"600\"} 2"), lines.toString());
    assertTrue(lines.contains(metric + "_bucket{phase=\"" + phase + "\",le=\"+Inf\"} 3"), lines.toString());
    assertTrue(lines.contains(metric + "_sum{phase=\"" + phase + "\"} 1240.7"), lines.toString());
    assertEquals(3, PhaseDurations.count(phase));
    assertTrue(PhaseDurations.exposition().contains("# TYPE " + metric + " histogram"));
  }
}
