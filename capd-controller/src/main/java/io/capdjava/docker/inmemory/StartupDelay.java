package io.capdjava.docker.inmemory;

import io.capdjava.api.infrastructure.v1beta2.InMemoryProvisioning;
import io.capdjava.core.GoDuration;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long one simulated part of an in-memory machine takes to come up: {@code startupDuration} plus up to
 * {@code startupJitter} (a fraction, as a string) of it, drawn once per start.
 */
final class StartupDelay {
  private StartupDelay() {}

  /** Checks the settings at {@code field}; throws {@link IllegalArgumentException} naming the field. */
  static void validate(InMemoryProvisioning part, String field) {
    if (part == null || part.provisioning == null) return;
    try {
      Duration d = GoDuration.parse(part.provisioning.startupDuration);
      if (d.isNegative()) throw new IllegalArgumentException("must not be negative");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(field + ".provisioning.startupDuration: invalid duration \""
          + part.provisioning.startupDuration + "\" (" + e.getMessage() + "); use a Go duration such as \"10s\"");
    }
    String jitter = part.provisioning.startupJitter;
    if (jitter == null || jitter.isEmpty()) return;
    double value;
    try {
      value = Double.parseDouble(jitter);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + ".provisioning.startupJitter: \"" + jitter
          + "\" is not a number; use a fraction such as \"0.2\"");
    }
    if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + ".provisioning.startupJitter: " + jitter + " must be 0 or more");
    }
  }

  /** One draw of the delay; zero when the part has no settings. Call {@link #validate} first. */
  static Duration draw(InMemoryProvisioning part) {
    if (part == null || part.provisioning == null) return Duration.ZERO;
    Duration base = GoDuration.parse(part.provisioning.startupDuration);
    String jitter = part.provisioning.startupJitter;
    if (jitter == null || jitter.isEmpty()) return base;
    double fraction = Double.parseDouble(jitter);
    if (fraction <= 0) return base;
    return base.plusNanos((long) (ThreadLocalRandom.current().nextDouble() * fraction * base.toNanos()));
  }
}
