package io.capdjava.core.manager;

import java.util.Locale;

/** Writes Prometheus' text exposition format (version 0.0.4), the format controller-runtime's /metrics serves. */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder();

  PrometheusText family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** One sample; {@code labels} alternate name and value. */
  PrometheusText sample(String name, double value, String... labels) {
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) out.append(',');
        out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  static String format(double value) {
    if (Double.isInfinite(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
    return String.format(Locale.ROOT, "%s", value);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
