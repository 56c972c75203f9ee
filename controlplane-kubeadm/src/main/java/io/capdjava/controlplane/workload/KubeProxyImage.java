package io.capdjava.controlplane.workload;

/**
 * The image of the {@code kube-proxy} container of {@code kube-system/kube-proxy} for a KCP (upstream
 * {@code UpdateKubeProxyImageInfo}): the running image re-tagged with the KCP's version, moved under the KCP's
 * {@code clusterConfiguration.imageRepository} when that is set.
 *
 * @param version the KCP's {@code spec.version}
 * @param imageRepository {@code clusterConfiguration.imageRepository} ("" when unset)
 */
public record KubeProxyImage(String version, String imageRepository) {
  public static final String NAME = "kube-proxy";

  /** The desired image for the running {@code image}; equal to it when nothing changes. */
  public String desired(String image) {
    String retagged = ImageName.withTag(image, version);
    return imageRepository.isEmpty() ? retagged : ImageName.withRepository(retagged, imageRepository);
  }
}
