package io.capdjava.docker.machine;

/**
 * The image of a node container: the DockerMachine's {@code customImage}, else {@code kindest/node:<version>} with
 * {@code +} replaced by {@code _} (OCI tags cannot hold a {@code +}), as upstream CAPD's fallback mapping.
 */
public final class NodeImage {
  private NodeImage() {}

  public static String forMachine(String customImage, String version) {
    if (customImage != null && !customImage.isBlank()) return customImage;
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("the Machine has no spec.version and the DockerMachine no spec.customImage");
    }
    String v = version.startsWith("v") ? version : "v" + version;
    return "kindest/node:" + v.replace('+', '_');
  }
}
