package io.capdjava.e2e.chain;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cluster manifests with their clusterctl-style variables filled in: templates/quickstart-cluster.yaml, and the
 * packaged development flavor with the quick-start ClusterClass.
 */
final class ClusterManifest {
  /** {@code ${NAME}} or, as clusterctl's simple processor, {@code ${NAME:=default}}. */
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::=([^}]*))?}");

  private ClusterManifest() {}

  static String quickStart(Map<String, String> variables) throws IOException {
    return render(repoRoot().resolve("templates/quickstart-cluster.yaml"), variables);
  }

  /** The development flavor: a Cluster of the quick-start ClusterClass. */
  static String development(Map<String, String> variables) throws IOException {
    return render(repoRoot().resolve("packaging/src/main/clusterctl/cluster-template-development.yaml"), variables);
  }

  static String quickStartClusterClass() throws IOException {
    return Files.readString(repoRoot().resolve("packaging/src/main/clusterctl/clusterclass-quick-start.yaml"));
  }

  private static String render(Path file, Map<String, String> variables) throws IOException {
    Matcher m = VARIABLE.matcher(Files.readString(file));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.getOrDefault(m.group(1), m.group(2));
      if (value == null) throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  static List<HasMetadata> apply(KubernetesClient client, String yaml) {
    List<HasMetadata> objects =
        client.load(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).items();
    for (HasMetadata o : objects) client.resource(o).create();
    return objects;
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.exists(p.resolve("hack/testenv.sh"))) p = p.getParent();
    return p;
  }
}
