package io.capdjava.core.reconcile;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * How a failed reconcile is retried, for every controller: 2 s, doubling up to 5 minutes, and never given up — as
 * controller-runtime's workqueue does. JOSDK's default stops after a few attempts, which stranded objects whose cause
 * went away later (an image that came a minute late) until some unrelated event woke them.
 */
public final class ReconcileBackoff {
  public static final Duration FIRST = Duration.ofSeconds(2);
  public static final Duration MAX = Duration.ofMinutes(5);

  private ReconcileBackoff() {}

  public static GenericRetry retry() {
    return new GenericRetry()
        .setMaxAttempts(-1)
        .setInitialInterval(FIRST.toMillis())
        .setIntervalMultiplier(2)
        .setMaxInterval(MAX.toMillis());
  }
}
