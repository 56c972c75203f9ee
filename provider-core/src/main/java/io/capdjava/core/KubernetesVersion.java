package io.capdjava.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes version ({@code v1.34.2}, {@code 1.35.0-rc.1+abc}) read as tolerantly as upstream's
 * {@code semver.ParseTolerant}: an optional {@code v}, missing minor or patch read as 0. Ordering is semver's (build
 * metadata ignored, a pre-release before its release); {@link #compareIgnoringPreRelease} and {@link #isBefore} are
 * upstream's {@code version.WithoutPreReleases()} comparisons.
 */
public record KubernetesVersion(int major, int minor, int patch, String preRelease, String build)
    implements Comparable<KubernetesVersion> {
  private static final Pattern TOLERANT = Pattern.compile(
      "^\\s*[vV]?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.+-]+))?\\s*$");

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the text when it is not a version. */
  public static KubernetesVersion parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("no Kubernetes version set");
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" is not a Kubernetes version"));
  }

  /** The version in {@code text}, or empty when it is none. */
  public static Optional<KubernetesVersion> tryParse(String text) {
    if (text == null) return Optional.empty();
    Matcher m = TOLERANT.matcher(text);
    if (!m.matches()) return Optional.empty();
    return Optional.of(new KubernetesVersion(Integer.parseInt(m.group(1)), number(m, 2), number(m, 3),
        m.group(4) == null ? "" : m.group(4), m.group(5) == null ? "" : m.group(5)));
  }

  private static int number(Matcher m, int group) {
    return m.group(group) == null ? 0 : Integer.parseInt(m.group(group));
  }

  /** Compares major.minor.patch only. */
  public int compareIgnoringPreRelease(int otherMajor, int otherMinor, int otherPatch) {
    if (major != otherMajor) return Integer.compare(major, otherMajor);
    if (minor != otherMinor) return Integer.compare(minor, otherMinor);
    return Integer.compare(patch, otherPatch);
  }

  /** Before {@code major.minor.0}, pre-releases ignored ({@code v1.31.0-rc.1} is not before 1.31). */
  public boolean isBefore(int otherMajor, int otherMinor) {
    return compareIgnoringPreRelease(otherMajor, otherMinor, 0) < 0;
  }

  /** What follows major.minor.patch as written: {@code -rc.1+abc}, or "". */
  public String suffix() {
    return (preRelease.isEmpty() ? "" : "-" + preRelease) + (build.isEmpty() ? "" : "+" + build);
  }

  @Override
  public int compareTo(KubernetesVersion o) {
    int c = compareIgnoringPreRelease(o.major, o.minor, o.patch);
    if (c != 0) return c;
    if (preRelease.equals(o.preRelease)) return 0;
    if (preRelease.isEmpty()) return 1;
    if (o.preRelease.isEmpty()) return -1;
    return comparePreRelease(preRelease, o.preRelease);
  }

  private static int comparePreRelease(String a, String b) {
    String[] pa = a.split("\\.");
    String[] pb = b.split("\\.");
    for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
      boolean na = pa[i].matches("\\d+");
      boolean nb = pb[i].matches("\\d+");
      int c;
      if (na && nb) c = Long.compare(Long.parseLong(pa[i]), Long.parseLong(pb[i]));
      else if (na) c = -1;
      else if (nb) c = 1;
      else c = pa[i].compareTo(pb[i]);
      if (c != 0) return c;
    }
    return Integer.compare(pa.length, pb.length);
  }

  @Override
  public String toString() {
    return "v" + major + "." + minor + "." + patch + suffix();
  }
}
