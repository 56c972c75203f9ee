package io.capdjava.e2e.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The quick-start cluster on Podman, as a user with Podman runs it: {@code hack/quickstart.sh --podman} (Debian's
 * podman, its Docker-compatible service, the images copied in) brings up 1 control plane + 1 worker whose nodes are
 * Podman's containers; {@code clusterctl get kubeconfig} gives a kubeconfig that reaches it; {@code delete} leaves no
 * container, volume or network in Podman.
 */
@Tag("podman")
class PodmanQuickStartTest {
  static final String SOCKET = "unix://" + System.getenv().getOrDefault("PODMAN_SOCKET", "/run/podman/podman.sock");
  static final String CLUSTER = "capi-quickstart";

  @Test
  void theQuickStartClusterRunsOnPodmanAndDeletingItLeavesNothingThere() throws Exception {
    Path root = ClusterManifest.repoRoot();
    try {
      QuickStartScriptTest.run(root, List.of("bash", "hack/podman.sh"), 5);
      List<String> baseline = podmanState();
      baseline.remove("network kind");
      Instant start = Instant.now();
      String up = QuickStartScriptTest.run(root, List.of("bash", "hack/quickstart.sh", "--podman"), 20);
      Duration created = Duration.between(start, Instant.now());
      List<String> lines = up.strip().lines().toList();
      String management = lines.get(lines.size() - 1).substring("MANAGEMENT_KUBECONFIG=".length());
      List<String> before = podmanState();

      assertEquals(List.of(CLUSTER + "-control-plane", CLUSTER + "-lb", CLUSTER + "-md-0"),
          podman("ps", "--filter", "label=io.x-k8s.kind.cluster=" + CLUSTER, "--format", "{{.Names}}").stream()
              .map(n -> n.replaceFirst("(-control-plane|-md-0)-.*", "$1")).sorted().toList(),
          "the load balancer and both nodes are Podman's containers");
      assertEquals("", QuickStartScriptTest.run(root, List.of("docker", "ps", "-q", "--filter",
          "label=io.x-k8s.kind.cluster=" + CLUSTER), 1).strip(), "none of them is dockerd's");

      String tools = QuickStartScriptTest.run(root, List.of("bash", "hack/tools.sh", "--print-dir"), 1).strip();
      String kubeconfig = QuickStartScriptTest.run(root, List.of(tools + "/clusterctl", "get", "kubeconfig", CLUSTER,
          "--kubeconfig", management), 1);
      Path file = Files.createTempFile("podman-workload", ".kubeconfig");
      Files.writeString(file, kubeconfig);
      String ready = QuickStartScriptTest.run(root, List.of(tools + "/kubectl", "--kubeconfig", file.toString(), "get",
          "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"), 1);
      assertEquals(List.of("True", "True"), ready.strip().lines().toList(), "clusterctl's kubeconfig reaches both nodes");
      Files.delete(file);

      start = Instant.now();
      String deleted = QuickStartScriptTest.run(root, List.of("bash", "hack/quickstart.sh", "delete"), 12);
      Duration deleting = Duration.between(start, Instant.now());
      assertTrue(deleted.contains("no container, volume or secret of it is left"), deleted);
      List<String> after = podmanState();
      assertEquals(baseline, after, "no container, volume or network of the cluster is left in Podman");
      assertFalse(after.contains("network kind"), "the cluster's network is gone with it (and its firewall chains)");
      assertTrue(before.contains("network kind"));
      System.out.printf("[podman] quick-start up (script, nodes Ready) in %d s, deleted in %d s%n",
          created.toSeconds(), deleting.toSeconds());
    } finally {
      QuickStartScriptTest.run(root, List.of("bash", "hack/quickstart.sh", "down"), 2);
    }
  }

  /** Podman's containers, volumes and networks, one "kind name" line each. */
  private static List<String> podmanState() throws Exception {
    List<String> state = new java.util.ArrayList<>();
    for (String c : podman("ps", "-a", "--format", "{{.Names}}")) state.add("container " + c);
    for (String v : podman("volume", "ls", "-q")) state.add("volume " + v);
    for (String n : podman("network", "ls", "--format", "{{.Name}}")) state.add("network " + n);
    return state;
  }

  private static List<String> podman(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("podman", "--url", SOCKET));
    command.addAll(List.of(args));
    return QuickStartScriptTest.run(ClusterManifest.repoRoot(), command, 1).lines().filter(l -> !l.isBlank()).toList();
  }
}
