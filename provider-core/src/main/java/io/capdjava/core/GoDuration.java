package io.capdjava.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Go's notation, which CAPI fields ({@code metav1.Duration}), kubeadm files and upstream flags use:
 * parsed from {@code 5m}, {@code 1h30m}, {@code 1.5h}, {@code 90s}, and written as Go's {@code Duration.String()}
 * writes whole seconds ({@code 30s}, {@code 4m0s}, {@code 24h0m0s}).
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /** @throws IllegalArgumentException naming the value when it is not a Go duration */
  public static Duration parse(String value) {
    String text = value.strip();
    Matcher m = PART.matcher(text);
    double nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
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
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException("'" + value + "' is not a duration such as 5m or 90s");
    }
    return Duration.ofNanos((long) nanos);
  }

  public static String ofSeconds(long seconds) {
    if (seconds == 0) return "0s";
    StringBuilder b = new StringBuilder();
    long s = Math.abs(seconds);
    if (seconds < 0) b.append('-');
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) b.append(h).append('h');
    if (h > 0 || m > 0) b.append(m).append('m');
    b.append(sec).append('s');
    return b.toString();
  }
}
