package io.capdjava.docker.reconcile;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration strings ({@code 5m}, {@code 1h30m}, {@code 90s}, {@code 1.5h}) as metav1.Duration fields hold them. */
final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  static Duration parse(String value) {
    Matcher m = PART.matcher(value.strip());
    double nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) break;
      double n = Double.parseDouble(m.group(1));
      nanos += n * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      end = m.end();
    }
    if (end == 0 || end != value.strip().length()) {
      throw new IllegalArgumentException("'" + value + "' is not a duration such as 5m or 90s");
    }
    return Duration.ofNanos((long) nanos);
  }
}
