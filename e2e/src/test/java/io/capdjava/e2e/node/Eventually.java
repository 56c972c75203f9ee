package io.capdjava.e2e.node;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition once a second; on timeout the test fails with what the diagnostics show at that moment. */
final class Eventually {
  private Eventually() {}

  static void waitFor(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    fail("timed out after " + timeout + " waiting for " + what + "\n" + diagnostics.get());
  }
}
