package io.capdjava.controlplane;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes version ({@code v1.34.2}, {@code 1.35.0-rc.1+abc}) read tolerantly like blang/semver's
 * {@code ParseTolerant}: an optional {@code v}, missing minor/patch read as 0. Ordering ignores build metadata and puts
 * a pre-release before its release.
 */
public record KubernetesVersion(int major, int minor, int patch, String preRelease) implements Comparable<KubernetesVersion> {
  private static final Pattern TOLERANT =
      Pattern.compile("^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?$");

  public static Optional<KubernetesVersion> parse(String version) {
    if (version == null) return Optional.empty();
    Matcher m = TOLERANT.matcher(version.trim());
    if (!m.matches()) return Optional.empty();
    return Optional.of(new KubernetesVersion(Integer.parseInt(m.group(1)), group(m, 2), group(m, 3),
        m.group(4) == null ? "" : m.group(4)));
  }

  private static int group(Matcher m, int i) {
    return m.group(i) == null ? 0 : Integer.parseInt(m.group(i));
  }

  /** Compares major.minor.patch only (upstream {@code version.WithoutPreReleases()}). */
  public int compareIgnoringPreRelease(int otherMajor, int otherMinor, int otherPatch) {
    return Comparator.comparingInt(KubernetesVersion::major).thenComparingInt(KubernetesVersion::minor)
        .thenComparingInt(KubernetesVersion::patch)
        .compare(this, new KubernetesVersion(otherMajor, otherMinor, otherPatch, ""));
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
}
