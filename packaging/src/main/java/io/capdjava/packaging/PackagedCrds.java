package io.capdjava.packaging;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CRDs the crds module generates and packages under META-INF/capd-java/crds/, and its admission policies
 * (META-INF/capd-java/policies/), read from the classpath.
 */
final class PackagedCrds {
  static final String RESOURCE_DIR = "META-INF/capd-java/crds";
  static final String POLICY_DIR = "META-INF/capd-java/policies";

  private PackagedCrds() {}

  /** The CRDs of one API group, sorted by name; an error when there are none (a provider without CRDs is a bug). */
  static List<CustomResourceDefinition> ofGroup(String group) {
    List<CustomResourceDefinition> crds = all().stream().filter(c -> group.equals(c.getSpec().getGroup())).toList();
    if (crds.isEmpty()) throw new IllegalStateException("no CRD of group " + group + " under " + RESOURCE_DIR);
    return crds;
  }

  static List<CustomResourceDefinition> all() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String yaml : read(RESOURCE_DIR).values()) crds.add(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
    return crds;
  }

  /**
   * The admission policies for the kinds of one API group: a policy file is named after the plural of the kind it
   * guards ({@code dockermachinetemplates-immutable.yaml}) and may hold several documents (policy and binding).
   */
  static List<HasMetadata> policiesOfGroup(String group) {
    List<String> plurals = ofGroup(group).stream().map(c -> c.getSpec().getNames().getPlural()).toList();
    List<HasMetadata> policies = new ArrayList<>();
    read(POLICY_DIR).forEach((file, yaml) -> {
      if (!plurals.contains(file.substring(0, file.indexOf('-')))) return;
      for (String document : yaml.split("(?m)^---\\s*$")) {
        if (document.lines().anyMatch(l -> l.startsWith("kind:"))) policies.add(Serialization.unmarshal(document));
      }
    });
    return policies;
  }

  /** The YAML files of a packaged folder, by file name, sorted. */
  private static java.util.SortedMap<String, String> read(String resourceDir) {
    URL dir = PackagedCrds.class.getClassLoader().getResource(resourceDir);
    if (dir == null) throw new IllegalStateException(resourceDir + " is not on the classpath (the crds module)");
    try {
      if ("jar".equals(dir.getProtocol())) {
        try (FileSystem fs = FileSystems.newFileSystem(dir.toURI(), Collections.emptyMap())) {
          return read(fs.getPath(resourceDir));
        }
      }
      return read(Path.of(dir.toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.SortedMap<String, String> read(Path dir) throws IOException {
    java.util.SortedMap<String, String> files = new java.util.TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }
}
