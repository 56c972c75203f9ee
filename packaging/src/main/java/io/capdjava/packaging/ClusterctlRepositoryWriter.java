package io.capdjava.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes what clusterctl reads from a provider repository, one folder per provider and release:
 * {@code <out>/<provider-label>/<version>/} with metadata.yaml and the components YAML, and for the infrastructure
 * provider the cluster templates. Run by the build (process-classes).
 *
 * <pre>
 *   ClusterctlRepositoryWriter OUT_DIR MAVEN_VERSION QUICKSTART_TEMPLATE CLUSTERCLASS_DIR
 * </pre>
 */
public final class ClusterctlRepositoryWriter {
  private ClusterctlRepositoryWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: ClusterctlRepositoryWriter OUT_DIR MAVEN_VERSION QUICKSTART_TEMPLATE CLUSTERCLASS_DIR");
    }
    Path out = Path.of(args[0]);
    ReleaseVersion version = ReleaseVersion.ofMaven(args[1]);
    ClusterTemplates templates = new ClusterTemplates(Path.of(args[2]), Path.of(args[3]));
    deleteRecursively(out);
    for (ProviderPackage p : Providers.all()) {
      Path dir = out.resolve(p.label()).resolve(version.toString());
      Files.createDirectories(dir);
      write(dir.resolve("metadata.yaml"), version.metadataYaml());
      write(dir.resolve(p.componentsFile()), ComponentsYaml.render(p, version.toString()));
      if (p.type().equals("InfrastructureProvider")) templates.writeInto(dir);
    }
    System.out.println("clusterctl repository for " + version + " written to " + out);
  }

  static void write(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
