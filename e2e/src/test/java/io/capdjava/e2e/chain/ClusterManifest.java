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

/** templates/quickstart-cluster.yaml with its clusterctl-style variables filled in. */
final class ClusterManifest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)}");

  private ClusterManifest() {}

  static String quickStart(Map<String, String> variables) throws IOException {
    String template = Files.readString(repoRoot().resolve("templates/quickstart-cluster.yaml"));
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
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
