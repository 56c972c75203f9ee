package io.capdjava.testenv;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs tests against a real management plane. The plane is the one named by {@code KUBECONFIG} when that is set
 * (a developer's cluster, or one CI started with {@code hack/testenv.sh up}); otherwise {@code hack/testenv.sh up}
 * starts one for this test run and {@code down} removes it at the end. Our CRDs are applied once per run, and each
 * test class gets a namespace of its own. Tests take a {@link ManagementPlane} parameter.
 */
public final class ManagementPlaneExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ManagementPlaneExtension.class);
  private static final String CRD_RESOURCE_DIR = "META-INF/capd-java/crds";
  private static final String POLICY_RESOURCE_DIR = "META-INF/capd-java/policies";

  @Override
  public void beforeAll(ExtensionContext context) {
    SharedPlane shared =
        context.getRoot().getStore(STORE).getOrComputeIfAbsent(SharedPlane.class, k -> SharedPlane.start(), SharedPlane.class);
    String base = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String namespace = "t-" + base.substring(0, Math.min(40, base.length())) + "-" + UUID.randomUUID().toString()
        .substring(0, 6);
    shared.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    context.getStore(STORE).put(ManagementPlane.class, new ManagementPlane(shared.kubeconfig, shared.client, namespace));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ManagementPlane plane = context.getStore(STORE).get(ManagementPlane.class, ManagementPlane.class);
    if (plane != null) plane.client().namespaces().withName(plane.namespace()).delete();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == ManagementPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    for (ExtensionContext c = extension; c != null; c = c.getParent().orElse(null)) {
      ManagementPlane plane = c.getStore(STORE).get(ManagementPlane.class, ManagementPlane.class);
      if (plane != null) return plane;
    }
    throw new IllegalStateException("no management plane: register ManagementPlaneExtension on the test class");
  }

  /** The plane of this test run, closed (and stopped if we started it) when the run ends. */
  static final class SharedPlane implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final Path kubeconfig;
    final KubernetesClient client;
    private final Path startedIn;

    private SharedPlane(Path kubeconfig, Path startedIn) {
      this.kubeconfig = kubeconfig;
      this.client = ManagementPlane.clientFor(kubeconfig);
      this.startedIn = startedIn;
    }

    static SharedPlane start() {
      String given = System.getenv("KUBECONFIG");
      SharedPlane plane;
      if (given != null && !given.isBlank()) {
        plane = new SharedPlane(Path.of(given), null);
      } else {
        Path dir = repoRoot().resolve("target").resolve("testenv-" + ProcessHandle.current().pid());
        String out = TestenvScript.run(dir, "up");
        String line = out.lines().filter(l -> l.startsWith("KUBECONFIG=")).reduce((a, b) -> b).orElseThrow(
            () -> new IllegalStateException("hack/testenv.sh up printed no KUBECONFIG line:\n" + out));
        plane = new SharedPlane(Path.of(line.substring("KUBECONFIG=".length())), dir);
      }
      installOurCrdsAndPolicies(plane.client);
      return plane;
    }

    @Override
    public void close() {
      client.close();
      if (startedIn != null) TestenvScript.run(startedIn, "down");
    }
  }

  /** Installs our CRDs (waiting until they are established) and our admission policies. */
  static void installOurCrdsAndPolicies(KubernetesClient client) {
    List<CustomResourceDefinition> crds = loadCrds();
    for (CustomResourceDefinition crd : crds) {
      client.resource(crd).forceConflicts().serverSideApply();
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
              .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
              60, TimeUnit.SECONDS);
    }
    for (HasMetadata policy : loadPolicies(client)) client.resource(policy).forceConflicts().serverSideApply();
  }

  /** Our CRDs as the crds module packages them. */
  public static List<CustomResourceDefinition> loadCrds() {
    URL dir = ManagementPlaneExtension.class.getClassLoader().getResource(CRD_RESOURCE_DIR);
    if (dir == null) throw new IllegalStateException(CRD_RESOURCE_DIR + " is not on the classpath (crds module)");
    try {
      List<CustomResourceDefinition> crds = new ArrayList<>();
      if ("jar".equals(dir.getProtocol())) {
        try (FileSystem fs = FileSystems.newFileSystem(dir.toURI(), Collections.emptyMap())) {
          collect(fs.getPath(CRD_RESOURCE_DIR), crds);
        }
      } else {
        collect(Path.of(dir.toURI()), crds);
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Our admission policies (ValidatingAdmissionPolicies and their bindings) as the crds module packages them. */
  public static List<HasMetadata> loadPolicies(KubernetesClient client) {
    URL dir = ManagementPlaneExtension.class.getClassLoader().getResource(POLICY_RESOURCE_DIR);
    if (dir == null) throw new IllegalStateException(POLICY_RESOURCE_DIR + " is not on the classpath (crds module)");
    try {
      if ("jar".equals(dir.getProtocol())) {
        try (FileSystem fs = FileSystems.newFileSystem(dir.toURI(), Collections.emptyMap())) {
          return loadAll(client, fs.getPath(POLICY_RESOURCE_DIR));
        }
      }
      return loadAll(client, Path.of(dir.toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<HasMetadata> loadAll(KubernetesClient client, Path dir) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          objects.addAll(client.load(in).items());
        }
      }
    }
    return objects;
  }

  private static void collect(Path dir, List<CustomResourceDefinition> into) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          HasMetadata parsed = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in);
          into.add((CustomResourceDefinition) parsed);
        }
      }
    }
  }

  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("hack/testenv.sh"))) return p;
    }
    throw new IllegalStateException("hack/testenv.sh not found above " + Path.of("").toAbsolutePath());
  }
}
