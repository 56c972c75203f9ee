package io.capdjava.docker.inmemory.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capdjava.core.certs.AdminKubeconfig;
import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go clients work with the simulated API server: the real kubectl (client-go, as CAPI core, KCP and clusterctl are)
 * lists, discovers, patches, watches and deletes through it with the admin kubeconfig CAPI writes for the cluster.
 */
class SimulatedClusterKubectlTest {
  private static final Path KUBECTL = Path.of(System.getProperty("user.home"),
      ".cache/capd-java/tools/k8s-v1.34.4_capi-v1.14.2_etcd-v3.6.8/bin/kubectl");

  @TempDir
  Path dir;
  private SimulatedClusters clusters;
  private SimulatedCluster cluster;
  private Path kubeconfig;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not at " + KUBECTL + " (hack/tools.sh downloads it)");
    int minPort = 21000 + ThreadLocalRandom.current().nextInt(8000);
    clusters = new SimulatedClusters("127.0.0.1", minPort, minPort + 19);
    cluster = clusters.getOrCreate("default", "demo", 0);
    CertificateKeyPair ca = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
    cluster.startApiServer("kube-apiserver-demo-cp-1", ca);
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, AdminKubeconfig.generate("demo",
        AdminKubeconfig.server(cluster.host(), cluster.port()), ca, KeyAlgorithm.RSA_2048));
    cluster.objects().create(ResourceTypes.NODES, SimulatedClustersTest.node("demo-cp-1"));
  }

  @AfterEach
  void tearDown() {
    if (clusters != null) clusters.close();
  }

  @Test
  void kubectlGetsDiscoversPatchesWatchesAndDeletes() throws Exception {
    assertEquals("node/demo-cp-1", kubectl("get", "nodes", "-o", "name").trim());

    String resources = kubectl("api-resources", "--no-headers");
    assertTrue(resources.lines().anyMatch(l -> l.startsWith("nodes ") && l.contains("Node")), resources);
    assertTrue(resources.lines().anyMatch(l -> l.startsWith("deployments ") && l.contains("apps/v1")), resources);

    kubectl("patch", "node", "demo-cp-1", "--type", "strategic", "-p",
        "{\"metadata\":{\"labels\":{\"patched\":\"yes\"}},\"spec\":{\"unschedulable\":true}}");
    var patched = cluster.objects().get(ResourceTypes.NODES, null, "demo-cp-1").orElseThrow();
    assertEquals("yes", patched.path("metadata").path("labels").path("patched").asText());
    assertTrue(patched.path("spec").path("unschedulable").asBoolean());

    Process watch = start("get", "nodes", "--watch", "-o",
        "jsonpath={.metadata.name} {.metadata.labels.phase}{\"\\n\"}");
    try {
      BlockingQueue<String> lines = lines(watch);
      assertEquals("demo-cp-1", next(lines, watch).trim(), "the listed node comes first");
      // changes made meanwhile through the store, as the simulated kubelet and KCP make them
      cluster.objects().patch(ResourceTypes.NODES, null, "demo-cp-1", ObjectStore.PatchFormat.MERGE_PATCH,
          "{\"metadata\":{\"labels\":{\"phase\":\"changed\"}}}");
      assertEquals("demo-cp-1 changed", next(lines, watch));
      cluster.objects().create(ResourceTypes.NODES, SimulatedClustersTest.node("demo-md-1"));
      assertEquals("demo-md-1", next(lines, watch).trim());
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }

    // kubectl waits for the deletion with a watch on the object (field selector metadata.name)
    String deleted = kubectl("delete", "node", "demo-cp-1", "--timeout=30s");
    assertTrue(deleted.contains("deleted"), deleted);
    assertTrue(cluster.objects().get(ResourceTypes.NODES, null, "demo-cp-1").isEmpty());
    assertEquals("node/demo-md-1", kubectl("get", "nodes", "-o", "name").trim());
  }

  private String kubectl(String... args) throws Exception {
    Process process = start(args);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args) + " finishes");
    assertEquals(0, process.exitValue(),
        "kubectl " + String.join(" ", args) + " failed: " + out + Files.readString(dir.resolve("stderr")));
    return out;
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("cache").toString(), "--request-timeout=30s"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectError(dir.resolve("stderr").toFile())
        .start();
  }

  private static BlockingQueue<String> lines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) lines.add(line);
      } catch (IOException e) {
        // the process ended
      }
    }, "kubectl-watch-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private String next(BlockingQueue<String> lines, Process process) throws Exception {
    String line = lines.poll(30, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("kubectl --watch printed nothing in 30s (alive: " + process.isAlive() + "): "
          + Files.readString(dir.resolve("stderr")));
    }
    return line;
  }
}
