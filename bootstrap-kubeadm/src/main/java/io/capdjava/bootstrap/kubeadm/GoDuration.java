package io.capdjava.bootstrap.kubeadm;

/** Seconds written as Go's {@code time.Duration.String()} does ({@code 30s}, {@code 4m0s}, {@code 24h0m0s}). */
final class GoDuration {
  private GoDuration() {}

  static String ofSeconds(long seconds) {
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
