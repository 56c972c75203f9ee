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
 * Cluster manifests with their clusterctl-style variables filled in: templates/quickstart-cluster.yaml, the packaged
 * development-docker flavor with the quick-start-docker ClusterClass, and upstream's own development flavors with
 * their quick-start ClusterClass (from the Go module sigs.k8s.io/cluster-api/test, rendered by clusterctl).
 */
final class ClusterManifest {
  /** {@code ${NAME}} or, as clusterctl's simple processor, {@code ${NAME:=default}}. */
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::=([^}]*))?}");

  private ClusterManifest() {}

  static String quickStart(Map<String, String> variables) throws IOException {
    return render(repoRoot().resolve("templates/quickstart-cluster.yaml"), variables);
  }

  /** The variables `clusterctl generate cluster` fills in. */
  static Map<String, String> variables(String name, String namespace, String version, int controlPlanes,
      int workers) {
    return Map.of("CLUSTER_NAME", name, "NAMESPACE", namespace, "KUBERNETES_VERSION", version,
        "CONTROL_PLANE_MACHINE_COUNT", String.valueOf(controlPlanes), "WORKER_MACHINE_COUNT", String.valueOf(workers));
  }

  /** The development-docker flavor: a Cluster of the quick-start-docker ClusterClass. */
  static String developmentDocker(Map<String, String> variables) throws IOException {
    return render(repoRoot().resolve("packaging/src/main/clusterctl/cluster-template-development-docker.yaml"),
        variables);
  }

  static String quickStartDockerClusterClass() throws IOException {
    return Files.readString(repoRoot().resolve("packaging/src/main/clusterctl/clusterclass-quick-start-docker.yaml"));
  }

  /** Upstream's templates of the Docker provider, in the Go module hack/tools.sh downloads. */
  static Path upstreamTemplates() throws Exception {
    return Path.of(QuickStartTest.tool("clusterctl")).getParent().getParent()
        .resolve("cluster-api-test-src/infrastructure/docker/templates");
  }

  /** Upstream's ClusterClass {@code in-memory} (DevCluster/DevMachine with the in-memory backend), unchanged. */
  static String upstreamInMemoryClusterClass() throws Exception {
    return Files.readString(upstreamTemplates().resolve("clusterclass-in-memory.yaml"));
  }

  static String upstreamQuickStartClusterClass() throws Exception {
    return Files.readString(upstreamTemplates().resolve("clusterclass-quick-start.yaml"));
  }

  /** One of upstream's flavors, rendered by {@code clusterctl generate yaml} as a user would. */
  static String upstreamFlavor(String flavor, Map<String, String> variables) throws Exception {
    Path template = upstreamTemplates().resolve("cluster-template-" + flavor + ".yaml");
    ProcessBuilder clusterctl = new ProcessBuilder(QuickStartTest.tool("clusterctl"), "generate", "yaml", "--from",
        template.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
    clusterctl.environment().putAll(variables);
    Process p = clusterctl.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException("clusterctl generate yaml --from " + template + " failed");
    return out;
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
