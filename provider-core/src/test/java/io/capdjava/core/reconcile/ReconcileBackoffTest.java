package io.capdjava.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcileBackoffTest {
  @Test
  void retriesForeverWithADoublingDelayCappedAtFiveMinutes() {
    RetryExecution execution = ReconcileBackoff.retry().initExecution();
    long total = 0;
    long previous = 0;
    for (int attempt = 1; attempt <= 200; attempt++) {
      Optional<Long> delay = execution.nextDelay();
      assertTrue(delay.isPresent(), "attempt " + attempt + " was given up");
      assertTrue(delay.get() >= previous, "the delay never shrinks");
      assertTrue(delay.get() <= ReconcileBackoff.MAX.toMillis(), "the delay is capped");
      previous = delay.get();
      total += delay.get();
    }
    assertEquals(ReconcileBackoff.MAX.toMillis(), previous);
    // JOSDK's default gave up after about 26 s; this one is still retrying after 200 attempts (over 15 hours)
    assertTrue(Duration.ofMillis(total).toHours() > 15);
  }

  @Test
  void firstRetriesComeQuickly() {
    RetryExecution execution = ReconcileBackoff.retry().initExecution();
    long first = execution.nextDelay().orElseThrow();
    long second = execution.nextDelay().orElseThrow();
    long third = execution.nextDelay().orElseThrow();
    assertEquals(2_000L, first);
    assertEquals(2 * second, third);
    assertTrue(first + second + third <= 10_000L, "three retries within 10 s");
  }
}
