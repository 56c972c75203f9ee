package io.capdjava.controlplane.workload;

import io.capdjava.core.KubernetesVersion;
import java.util.Optional;

/**
 * What KCP changes about CoreDNS in a workload cluster (upstream {@code UpdateCoreDNS}): the image of the
 * {@code coredns} container of {@code kube-system/coredns}, set from the KCP's {@code clusterConfiguration}
 * ({@code dns.imageRepository}, {@code dns.imageTag}, else {@code imageRepository}; the running image's parts
 * otherwise), and the Corefile migrated between the two CoreDNS releases. Kubeadm's joins never touch CoreDNS, so a
 * version upgrade moves CoreDNS only when the KCP names the new tag, as upstream.
 *
 * @param imageRepository the KCP's {@code clusterConfiguration.imageRepository} ("" when unset)
 * @param dnsImageRepository {@code clusterConfiguration.dns.imageRepository} ("" when unset)
 * @param dnsImageTag {@code clusterConfiguration.dns.imageTag} ("" when unset)
 */
public record CoreDnsUpgrade(String imageRepository, String dnsImageRepository, String dnsImageTag) {
  public static final String NAME = "coredns";
  public static final String COREFILE_KEY = "Corefile";
  public static final String COREFILE_BACKUP_KEY = "Corefile-backup";
  public static final String VOLUME_NAME = "config-volume";

  /** The change to make: images and the CoreDNS releases ({@code major.minor.patch}) the Corefile moves between. */
  public record Plan(String fromImage, String toImage, String fromVersion, String toVersion) {}

  /**
   * The change from the running {@code image}, or empty when the image is already the desired one.
   *
   * @throws IllegalArgumentException naming what is wrong: an image without a tag, a tag that is no version, a
   *     downgrade, or a running CoreDNS release whose Corefile cannot be migrated
   */
  public Optional<Plan> plan(String image) {
    ImageName current = ImageName.parse(image);
    String toRepository = current.repository();
    if (!imageRepository.isEmpty()) toRepository = trimSlash(imageRepository);
    if (!dnsImageRepository.isEmpty()) toRepository = trimSlash(dnsImageRepository);
    if (current.tag().isEmpty()) {
      throw new IllegalArgumentException("failed to update coredns deployment: does not have a valid image tag: \""
          + image + "\"");
    }
    KubernetesVersion from = tagVersion(current.tag());
    String toTag = dnsImageTag.isEmpty() ? current.tag() : dnsImageTag;
    KubernetesVersion to = tagVersion(toTag);
    String toName = current.name();
    // registry.k8s.io moved CoreDNS from coredns to coredns/coredns with 1.8.0
    if ((toRepository.equals("k8s.gcr.io") || toRepository.equals("registry.k8s.io")) && toName.equals("coredns")
        && to.compareIgnoringPreRelease(1, 8, 0) >= 0) {
      toName = "coredns/coredns";
    }
    String toImage = toRepository + "/" + toName + ":" + toTag;
    if (toImage.equals(image)) return Optional.empty();
    if (from.compareIgnoringPreRelease(to.major(), to.minor(), to.patch()) > 0) {
      throw new IllegalArgumentException("failed to validate CoreDNS: toVersion \"" + toTag
          + "\" must be greater than or equal to fromVersion \"" + current.tag() + "\"");
    }
    String fromVersion = majorMinorPatch(from);
    if (!CorefileMigration.known(fromVersion)) {
      throw new IllegalArgumentException("failed to validate CoreDNS: fromVersion \"" + fromVersion
          + "\" is not a compatible coredns version");
    }
    return Optional.of(new Plan(image, toImage, fromVersion, majorMinorPatch(to)));
  }

  /** Upstream {@code ParseTolerantImageTag}: an OCI tag carries semver's '+' as '_'. */
  private static KubernetesVersion tagVersion(String tag) {
    return KubernetesVersion.tryParse(tag.replace('_', '+')).orElseThrow(() ->
        new IllegalArgumentException("error parsing semver from \"" + tag + "\""));
  }

  private static String majorMinorPatch(KubernetesVersion v) {
    return v.major() + "." + v.minor() + "." + v.patch();
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
