package io.capdjava.core.manager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long the hand-offs of provisioning take, as one histogram per phase in /metrics
 * ({@code capd_java_provisioning_phase_seconds{phase}}): the time from an object's creation to a milestone (a load
 * balancer or node container created, bootstrap data written, a node's providerID set) or the length of a step (a
 * node's bootstrap run). Process-wide, as the metrics a process serves: every provider in it observes here.
 */
public final class PhaseDurations {
  public static final String METRIC = "capd_java_provisioning_phase_seconds";
  /** Seconds: provisioning phases take from under a second (a secret) to minutes (kubeadm on a busy host). */
  private static final double[] BUCKETS = {0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600};
  private static final Map<String, Histogram> PHASES = new ConcurrentHashMap<>();

  private PhaseDurations() {}

  private static final class Histogram {
    final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
    final DoubleAdder sum = new DoubleAdder();
    final LongAdder count = new LongAdder();
  }

  public static void observe(String phase, Duration elapsed) {
    double seconds = Math.max(0, elapsed.toMillis() / 1000.0);
    Histogram h = PHASES.computeIfAbsent(phase, p -> new Histogram());
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        h.buckets.incrementAndGet(i);
        break;
      }
    }
    h.sum.add(seconds);
    h.count.increment();
  }

  /** The time from {@code object}'s creation until now. */
  public static void sinceCreation(String phase, HasMetadata object) {
    String created = object.getMetadata() == null ? null : object.getMetadata().getCreationTimestamp();
    if (created == null) return;
    observe(phase, Duration.between(Instant.parse(created), Instant.now()));
  }

  /** How many times {@code phase} was observed. */
  public static long count(String phase) {
    Histogram h = PHASES.get(phase);
    return h == null ? 0 : h.count.sum();
  }

  static void render(PrometheusText text) {
    if (PHASES.isEmpty()) return;
    text.family(METRIC, "histogram", "Length of provisioning phases: from an object's creation to a milestone, or of"
        + " a step");
    new TreeMap<>(PHASES).forEach((phase, h) -> {
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += h.buckets.get(i);
        text.sample(METRIC + "_bucket", cumulative, "phase", phase, "le", PrometheusText.format(BUCKETS[i]));
      }
      text.sample(METRIC + "_bucket", h.count.sum(), "phase", phase, "le", "+Inf");
      text.sample(METRIC + "_sum", h.sum.sum(), "phase", phase);
      text.sample(METRIC + "_count", h.count.sum(), "phase", phase);
    });
  }

  /** The histograms as /metrics serves them. */
  public static String exposition() {
    PrometheusText text = new PrometheusText();
    render(text);
    return text.toString();
  }
}
