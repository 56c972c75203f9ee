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

  /**
   * What a condition says when {@code image} is neither on the engine nor pullable: the image, where its name came
   * from ({@code source}), the engine's answer, and for a derived {@code kindest/node} name how to build it offline.
   */
  public static String unavailableMessage(String image, String source, boolean custom, String engineAnswer) {
    String remedy = custom ? "" : "; build it with capd-java's hack/images.sh node " + image.substring(
        image.indexOf(':') + 1) + ", or load it into the engine";
    return "Image " + image + " (" + source + ") is not on the container engine and could not be pulled: "
        + engineAnswer + remedy;
  }
}
