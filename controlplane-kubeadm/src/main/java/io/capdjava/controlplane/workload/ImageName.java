package io.capdjava.controlplane.workload;

import java.util.regex.Pattern;

/**
 * A container image reference split as upstream's {@code util/container} does: {@code repository/name:tag@digest},
 * where the repository is everything before the last path component (registry host included).
 */
public record ImageName(String repository, String name, String tag, String digest) {
  /** Characters an OCI tag may not contain; upstream replaces them with {@code _} ({@code v1.2.3+x} → {@code v1.2.3_x}). */
  private static final Pattern NOT_TAG_CHARACTERS = Pattern.compile("[^-a-zA-Z0-9_.]");
  private static final String DEFAULT_DOMAIN = "docker.io";

  /** Parses {@code image}; a missing tag or digest is "". */
  public static ImageName parse(String image) {
    if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("couldn't parse image name \"" + image + "\"");
    }
    String rest = image;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    int slash = rest.lastIndexOf('/');
    String repository = slash < 0 ? "" : rest.substring(0, slash);
    String name = rest.substring(slash + 1);
    if (name.isEmpty() || (slash >= 0 && repository.isEmpty())) {
      throw new IllegalArgumentException("couldn't parse image name \"" + image + "\"");
    }
    return new ImageName(repository, name, tag, digest);
  }

  /** {@code version} as an OCI tag (upstream {@code SemverToOCIImageTag}). */
  public static String ociTag(String version) {
    return NOT_TAG_CHARACTERS.matcher(version).replaceAll("_");
  }

  /**
   * Upstream {@code ModifyImageTag}: the image with {@code version} as its tag, its name normalised as Docker does
   * ({@code kube-proxy} becomes {@code docker.io/library/kube-proxy}); an image pinned by digest cannot be re-tagged.
   */
  public static String withTag(String image, String version) {
    ImageName parsed = parse(image);
    if (!parsed.digest.isEmpty()) {
      throw new IllegalArgumentException("image " + image + " uses digest as version, cannot update tag");
    }
    return normalisedName(parsed) + ":" + ociTag(version);
  }

  /**
   * Upstream {@code ModifyImageRepository}: the image under {@code repository}, keeping its name and tag, written in
   * Docker's short form (no {@code docker.io/library/}); an untagged image is refused.
   */
  public static String withRepository(String image, String repository) {
    ImageName parsed = parse(image);
    if (parsed.tag.isEmpty()) throw new IllegalArgumentException("image must be tagged: " + image);
    String full = stripSlashes(repository) + "/" + parsed.name;
    return familiar(full) + ":" + parsed.tag;
  }

  private static String normalisedName(ImageName image) {
    String full = image.repository.isEmpty() ? image.name : image.repository + "/" + image.name;
    int slash = full.indexOf('/');
    String first = slash < 0 ? "" : full.substring(0, slash);
    boolean hasDomain = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (hasDomain) return full;
    return DEFAULT_DOMAIN + "/" + (slash < 0 ? "library/" : "") + full;
  }

  private static String familiar(String full) {
    if (full.startsWith(DEFAULT_DOMAIN + "/library/") && full.indexOf('/', (DEFAULT_DOMAIN + "/library/").length()) < 0) {
      return full.substring((DEFAULT_DOMAIN + "/library/").length());
    }
    if (full.startsWith(DEFAULT_DOMAIN + "/")) return full.substring(DEFAULT_DOMAIN.length() + 1);
    return full;
  }

  private static String stripSlashes(String s) {
    String r = s;
    while (r.endsWith("/")) r = r.substring(0, r.length() - 1);
    return r;
  }

  @Override
  public String toString() {
    return (repository.isEmpty() ? "" : repository + "/") + name + (tag.isEmpty() ? "" : ":" + tag)
        + (digest.isEmpty() ? "" : "@" + digest);
  }
}
