package io.capdjava.docker.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a failed bootstrap may run again: after 10 s, doubling up to 5 minutes. Without it every status event would
 * re-run a failing bootstrap at once. Kept in memory: a restarted provider simply tries again.
 */
final class BootstrapRetries {
  static final Duration FIRST = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);

  private record Attempt(int failures, Instant next) {}

  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  private final Clock clock;

  BootstrapRetries() {
    this(Clock.systemUTC());
  }

  BootstrapRetries(Clock clock) {
    this.clock = clock;
  }

  /** Zero when a bootstrap may run now, else how long until it may. */
  Duration waitBeforeNextAttempt(HasMetadata machine) {
    Attempt a = attempts.get(machine.getMetadata().getUid());
    if (a == null) return Duration.ZERO;
    Duration left = Duration.between(clock.instant(), a.next());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Records a failure and returns how long until the next attempt. */
  Duration failed(HasMetadata machine) {
    Attempt a = attempts.merge(machine.getMetadata().getUid(), new Attempt(1, clock.instant().plus(FIRST)),
        (old, first) -> {
          Duration backoff = FIRST.multipliedBy(1L << Math.min(old.failures(), 10));
          return new Attempt(old.failures() + 1, clock.instant().plus(backoff.compareTo(MAX) > 0 ? MAX : backoff));
        });
    return Duration.between(clock.instant(), a.next());
  }

  void succeeded(HasMetadata machine) {
    attempts.remove(machine.getMetadata().getUid());
  }
}
