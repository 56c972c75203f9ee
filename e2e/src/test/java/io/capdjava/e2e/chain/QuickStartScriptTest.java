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
 * the default cluster and prints both kubeconfigs; `--manifest` brings up upstream's development-mp flavor (its
 * ClusterClass and template from the Go module, rendered by clusterctl) and returns only when the MachinePool's node
 * is Ready too; `delete` removes a cluster and checks nothing is left; `down` stops what it started.
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

    // our three providers run in one process; a new build (here: its jar touched) replaces it
    Path state = root.resolve("target/quickstart");
    assertTrue(!Files.exists(state.resolve("capd-controller.pid")), "no process of a single provider");
    String providersPid = Files.readString(state.resolve("all-in-one.pid")).strip();
    Files.setLastModifiedTime(root.resolve("all-in-one/target/all-in-one.jar"),
        java.nio.file.attribute.FileTime.from(java.time.Instant.now()));

    // a manifest of the user's: upstream's development-mp flavor, as `clusterctl generate yaml` renders it
    Path manifest = root.resolve("target/quickstart/development-mp.yaml");
    Files.writeString(manifest, ClusterManifest.upstreamQuickStartClusterClass() + "\n---\n"
        + ClusterManifest.upstreamFlavor("development-mp",
            ClusterManifest.variables("qs-dev-mp", "default", QuickStartTest.VERSION, 1, 1)));
    String withPool = run(root, List.of("bash", "hack/quickstart.sh", "--manifest", manifest.toString()), 15);
    assertTrue(withPool.contains("restarting our providers"), withPool);
    assertTrue(!providersPid.equals(Files.readString(state.resolve("all-in-one.pid")).strip()));
    List<String> poolLines = withPool.strip().lines().toList();
    String poolKubeconfig = poolLines.get(poolLines.size() - 2).substring("KUBECONFIG=".length());
    // the script returns when every node is there and Ready: the control plane's and the pool instance's
    String poolNodes = run(root, List.of(kubectl, "--kubeconfig", poolKubeconfig, "get", "nodes", "-o",
        "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"), 1);
    assertEquals(2, poolNodes.strip().lines().filter(l -> l.endsWith("=True")).count(), poolNodes);
    assertTrue(poolNodes.contains("qs-dev-mp-worker-"), "the MachinePool's instance is a node: " + poolNodes);
    String poolDeleted = run(root, List.of("bash", "hack/quickstart.sh", "delete", "qs-dev-mp"), 12);
    assertTrue(poolDeleted.contains("no container, volume or secret of it is left"), poolDeleted);
  }

  static String run(Path dir, List<String> command, int minutes) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("KUBECONFIG"); // the script must bring its own management plane
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), String.join(" ", command) + " did not finish:\n" + out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
    return out;
  }
}
