package io.capdjava.e2e.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's main command as a user runs it: hack/quickstart.sh brings up a management plane, our providers and
 * the default cluster and prints both kubeconfigs; `delete` removes the cluster and checks nothing is left; `down`
 * stops what it started.
 */
class QuickStartScriptTest {
  @Test
  void quickStartPrintsWorkingKubeconfigsAndCleansUp() throws Exception {
    Path root = ClusterManifest.repoRoot();
    try {
      upUseAndDelete(root);
    } finally {
      // whatever failed above, no plane or provider process outlives the test
      run(root, List.of("bash", "hack/quickstart.sh", "down"), 2);
    }
    assertTrue(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
        .noneMatch(c -> c.contains(root.resolve("target/quickstart").toString())), "no provider or plane process is left");
    assertTrue(!Files.exists(root.resolve("target/quickstart/plane")));
  }

  private static void upUseAndDelete(Path root) throws Exception {
    String up = run(root, List.of("bash", "hack/quickstart.sh"), 20);
    List<String> lines = up.strip().lines().toList();
    String workload = lines.get(lines.size() - 2);
    String management = lines.get(lines.size() - 1);
    assertTrue(workload.startsWith("KUBECONFIG=") && management.startsWith("MANAGEMENT_KUBECONFIG="), up);

    String kubectl = run(root, List.of("bash", "hack/tools.sh", "--print-dir"), 1).strip() + "/kubectl";
    String nodes = run(root, List.of(kubectl, "--kubeconfig", workload.substring("KUBECONFIG=".length()), "get",
        "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"), 1);
    assertEquals(List.of("True", "True"), nodes.strip().lines().toList());
    String clusters = run(root, List.of(kubectl, "--kubeconfig", management.substring("MANAGEMENT_KUBECONFIG=".length()),
        "get", "clusters", "-A", "-o", "name"), 1);
    assertEquals("cluster.cluster.x-k8s.io/capi-quickstart", clusters.strip());

    String deleted = run(root, List.of("bash", "hack/quickstart.sh", "delete"), 12);
    assertTrue(deleted.contains("no container, volume or secret of it is left"), deleted);
  }

  private static String run(Path dir, List<String> command, int minutes) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("KUBECONFIG"); // the script must bring its own management plane
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), String.join(" ", command) + " did not finish:\n" + out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
    return out;
  }
}
