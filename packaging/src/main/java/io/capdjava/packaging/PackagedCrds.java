package io.capdjava.packaging;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
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

/** The CRDs the crds module generates and packages under META-INF/capd-java/crds/, read from the classpath. */
final class PackagedCrds {
  static final String RESOURCE_DIR = "META-INF/capd-java/crds";

  private PackagedCrds() {}

  /** The CRDs of one API group, sorted by name; an error when there are none (a provider without CRDs is a bug). */
  static List<CustomResourceDefinition> ofGroup(String group) {
    List<CustomResourceDefinition> crds = all().stream().filter(c -> group.equals(c.getSpec().getGroup())).toList();
    if (crds.isEmpty()) throw new IllegalStateException("no CRD of group " + group + " under " + RESOURCE_DIR);
    return crds;
  }

  static List<CustomResourceDefinition> all() {
    URL dir = PackagedCrds.class.getClassLoader().getResource(RESOURCE_DIR);
    if (dir == null) throw new IllegalStateException(RESOURCE_DIR + " is not on the classpath (the crds module)");
    try {
      if ("jar".equals(dir.getProtocol())) {
        try (FileSystem fs = FileSystems.newFileSystem(dir.toURI(), Collections.emptyMap())) {
          return read(fs.getPath(RESOURCE_DIR));
        }
      }
      return read(Path.of(dir.toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<CustomResourceDefinition> read(Path dir) throws IOException {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
        }
      }
    }
    return crds;
  }
}
