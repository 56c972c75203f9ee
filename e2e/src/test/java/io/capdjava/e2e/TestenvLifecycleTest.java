package io.capdjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code hack/testenv.sh down} stops everything {@code up} started and leaves no directory behind. */
class TestenvLifecycleTest {

  @Test
  void downLeavesNoProcessOrDirectoryBehind() throws Exception {
    Path dir = repoRoot().resolve("target").resolve("testenv-lifecycle-" + ProcessHandle.current().pid());
    String up = testenv(dir, "up");
    assertTrue(up.contains("KUBECONFIG=" + dir.resolve("admin.kubeconfig")), up);
    assertTrue(processesUsing(dir).size() >= 4, "etcd, kube-apiserver, kube-controller-manager and CAPI run");

    testenv(dir, "down");

    assertEquals(List.of(), processesUsing(dir));
    assertFalse(Files.exists(dir), dir + " removed");
  }

  /** Processes whose command line names the plane's directory. */
  private static List<String> processesUsing(Path dir) {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(cmd -> cmd.contains(dir.toString()) && !cmd.contains("testenv.sh"))
        .toList();
  }

  private static String testenv(Path dir, String command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", repoRoot().resolve("hack/testenv.sh").toString(), command)
        .redirectErrorStream(true);
    pb.environment().put("TESTENV_DIR", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.exists(p.resolve("hack/testenv.sh"))) p = p.getParent();
    return p;
  }
}
