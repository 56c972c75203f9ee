package io.capdjava.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Named points of provisioning, scaling and deletion where the fault suite kills the provider process, the way a
 * node failure or an OOM kill would: no shutdown hook, no {@code finally}, nothing flushed. Inert unless the process
 * was started with {@value #POINTS_ENV} (comma-separated point names) and {@value #RECORD_ENV} (a file): the first time
 * the process reaches an armed point that the record does not list yet, it appends the point and its time to the
 * record and halts with status 137 (as after SIGKILL). The supervisor restarts it with the same environment, so each
 * point kills once, and the record says which points were reached.
 */
public final class CrashPoints {
  public static final String POINTS_ENV = "CAPD_JAVA_CRASH_POINTS";
  public static final String RECORD_ENV = "CAPD_JAVA_CRASH_RECORD";
  public static final int EXIT_STATUS = 137;

  private static final Set<String> ARMED = parse(System.getenv(POINTS_ENV));
  private static final String RECORD = System.getenv(RECORD_ENV);

  private CrashPoints() {}

  /** As {@link #reach(String)} for the point {@code <component>/<event>}, named only when some point is armed. */
  public static void reach(String component, String event) {
    if (!ARMED.isEmpty()) reach(component + "/" + event);
  }

  /** Kills the process here if the fault suite armed {@code point} and it has not killed there yet. */
  public static void reach(String point) {
    if (ARMED.isEmpty() || RECORD == null || !ARMED.contains(point)) return;
    synchronized (CrashPoints.class) {
      Path record = Path.of(RECORD);
      try {
        if (Files.exists(record) && Files.readAllLines(record).stream().anyMatch(l -> l.startsWith(point + " "))) return;
        Files.writeString(record, point + " " + Instant.now() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND, StandardOpenOption.SYNC);
      } catch (IOException e) {
        throw new UncheckedIOException("crash point record " + record, e);
      }
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }

  static Set<String> parse(String points) {
    if (points == null || points.isBlank()) return Set.of();
    return Arrays.stream(points.split(",")).map(String::strip).filter(p -> !p.isEmpty()).collect(Collectors.toSet());
  }
}
