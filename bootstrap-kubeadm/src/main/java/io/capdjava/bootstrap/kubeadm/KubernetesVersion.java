package io.capdjava.bootstrap.kubeadm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes version parsed as tolerantly as upstream's {@code semver.ParseTolerant}: an optional {@code v}, missing
 * minor or patch read as 0, pre-release and build suffixes kept aside (version comparisons ignore them).
 */
public record KubernetesVersion(int major, int minor, int patch, String suffix) implements Comparable<KubernetesVersion> {
  private static final Pattern TOLERANT =
      Pattern.compile("^\\s*[vV]?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?([-+][0-9A-Za-z.+-]*)?\\s*$");

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the text when it is not a version. */
  public static KubernetesVersion parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("no Kubernetes version set");
    Matcher m = TOLERANT.matcher(text);
    if (!m.matches()) throw new IllegalArgumentException("\"" + text + "\" is not a Kubernetes version");
    return new KubernetesVersion(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), m.group(4) == null ? "" : m.group(4));
  }

  /** Compares major.minor.patch only (upstream's {@code version.WithoutPreReleases()}). */
  @Override
  public int compareTo(KubernetesVersion o) {
    if (major != o.major) return Integer.compare(major, o.major);
    if (minor != o.minor) return Integer.compare(minor, o.minor);
    return Integer.compare(patch, o.patch);
  }

  public boolean isBefore(int major, int minor) {
    return compareTo(new KubernetesVersion(major, minor, 0, "")) < 0;
  }

  @Override
  public String toString() {
    return "v" + major + "." + minor + "." + patch + suffix;
  }
}
