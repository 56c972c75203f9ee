package io.capdjava.testenv;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * Another management plane beside the shared one, for tests that need two ({@code clusterctl move}): started with
 * {@code hack/testenv.sh up} in a directory of its own, our CRDs and admission policies installed, stopped on
 * {@link #close}.
 */
public final class SecondPlane implements AutoCloseable {
  private final Path dir;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private SecondPlane(Path dir, Path kubeconfig) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.client = ManagementPlane.clientFor(kubeconfig);
  }

  public static SecondPlane start(String name) {
    Path dir = ManagementPlaneExtension.repoRoot().resolve("target")
        .resolve("testenv-" + name + "-" + ProcessHandle.current().pid());
    String out = TestenvScript.run(dir, "up");
    String line = out.lines().filter(l -> l.startsWith("KUBECONFIG=")).reduce((a, b) -> b).orElseThrow(
        () -> new IllegalStateException("hack/testenv.sh up printed no KUBECONFIG line:\n" + out));
    SecondPlane plane = new SecondPlane(dir, Path.of(line.substring("KUBECONFIG=".length())));
    try {
      ManagementPlaneExtension.installOurCrdsAndPolicies(plane.client);
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  /** This plane with {@code namespace} as the test's namespace (created by whoever needs it, clusterctl move say). */
  public ManagementPlane in(String namespace) {
    return new ManagementPlane(kubeconfig, client, namespace);
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * Stops the plane; its processes' logs are kept beside it ({@code <dir>-logs}), since {@code down} removes the
   * directory and a test that failed against this plane needs them.
   */
  @Override
  public void close() {
    client.close();
    Path logs = dir.resolve("logs");
    if (java.nio.file.Files.isDirectory(logs)) {
      Path kept = dir.resolveSibling(dir.getFileName() + "-logs");
      try (var files = java.nio.file.Files.list(logs)) {
        java.nio.file.Files.createDirectories(kept);
        for (Path f : files.toList()) {
          java.nio.file.Files.copy(f, kept.resolve(f.getFileName()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (java.io.IOException e) {
        // the logs are a help, not the test's outcome
      }
    }
    TestenvScript.run(dir, "down");
  }
}
