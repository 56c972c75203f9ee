package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.docker;
import static io.capdjava.e2e.chain.QuickStartTest.tool;
import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneProviderMain;
import io.capdjava.core.Conditions;
import io.capdjava.docker.DockerProviderMain;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path without kind, step by step as a user takes it: `hack/quickstart.sh management` makes a management
 * cluster of containers (the host's Docker socket mounted, the operator images loaded) and runs `clusterctl init` into
 * it from the offline repository; then `clusterctl generate cluster` with our template, applied to that cluster, gives
 * a workload cluster made by our providers running there as pods, through the host's engine; deleting it leaves
 * nothing, and `delete` / `down` clean up the rest. On demand (hack/test-on-demand.sh): in CI, hack/upstream-e2e.sh
 * takes the same road (a management cluster of containers from `hack/quickstart.sh management --no-init`, our
 * components installed into it by clusterctl, workload clusters made by the providers' pods).
 */
@Tag("on-demand")
class SelfHostedManagementTest {
  private static final Map<String, String> DEPLOYMENTS = Map.of(
      "capd-java-system", "capd-java-controller-manager",
      "capd-java-bootstrap-system", "capd-java-bootstrap-controller-manager",
      "capd-java-control-plane-system", "capd-java-control-plane-controller-manager",
      "capi-system", "capi-controller-manager");
  private static final Map<String, String> LEASES = Map.of(
      "capd-java-system", DockerProviderMain.LEASE_NAME,
      "capd-java-bootstrap-system", BootstrapProviderMain.LEASE_NAME,
      "capd-java-control-plane-system", ControlPlaneProviderMain.LEASE_NAME);
  private static final String LABEL = "io.x-k8s.kind.cluster=";

  @Test
  void clusterctlInitIntoAClusterOfContainersThenAWorkloadClusterFromIt(@TempDir Path home) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 5);
    String management = "mgmt-" + id;
    String hosted = "hosted-" + id;
    KubernetesClient client = null;
    try {
      List<String> printed = script(15, "management", management).strip().lines().toList();
      String config = value(printed, "CLUSTERCTL_CONFIG=");
      String kubeconfig = value(printed, "KUBECONFIG=");
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig))))
          .build();

      // what clusterctl installed runs as Ready pods (the kubelet probed /readyz), each provider leading its Lease
      for (var d : DEPLOYMENTS.entrySet()) {
        Deployment deployment = client.apps().deployments().inNamespace(d.getKey()).withName(d.getValue()).get();
        assertEquals(1, deployment.getStatus().getReadyReplicas(), d.getValue() + " passes its readiness probe");
      }
      for (var l : LEASES.entrySet()) {
        final KubernetesClient c = client;
        String holder = waitFor("Lease " + l.getValue(), Duration.ofMinutes(1), () -> {
          var lease = c.leases().inNamespace(l.getKey()).withName(l.getValue()).get();
          return lease == null ? null : lease.getSpec().getHolderIdentity();
        });
        String pod = client.pods().inNamespace(l.getKey()).list().getItems().get(0).getMetadata().getName();
        assertTrue(holder.startsWith(pod + "_"), holder + " is the pod " + pod);
      }

      // the next steps the script prints: a workload cluster from our template, on the self-hosted management cluster
      String clusterctl = tool("clusterctl");
      Map<String, String> env = Map.of("HOME", home.toString(), "KUBECONFIG", kubeconfig);
      String manifest = run(env, clusterctl, "generate", "cluster", hosted, "--config", config,
          "--infrastructure", "javadocker", "--kubernetes-version", E2eCluster.VERSION,
          "--control-plane-machine-count", "1", "--worker-machine-count", "1", "--target-namespace", "default");
      ClusterManifest.apply(client, manifest);
      final KubernetesClient c = client;
      waitFor("the workload cluster's Available condition True", Duration.ofMinutes(6), () -> {
        Cluster cluster = c.resources(Cluster.class).inNamespace("default").withName(hosted).get();
        return cluster.getStatus() != null && Conditions.isTrue(cluster.getStatus().conditions, "Available")
            ? cluster : null;
      });
      String described = run(env, clusterctl, "describe", "cluster", hosted, "-n", "default");
      assertTrue(described.lines().anyMatch(l -> l.contains("Cluster default/" + hosted) && l.contains("True")),
          described);
      List<String> containers = containers(hosted);
      assertEquals(3, containers.size(), "a load balancer and two nodes on the host's engine: " + containers);
      List<String> volumes = volumes(containers);

      client.resources(Cluster.class).inNamespace("default").withName(hosted).delete();
      client.resources(Cluster.class).inNamespace("default").withName(hosted)
          .waitUntilCondition(x -> x == null, 5, TimeUnit.MINUTES);
      assertEquals(List.of(), containers(hosted));
      List<String> left = docker("volume", "ls", "-q").lines().filter(volumes::contains).toList();
      assertEquals(List.of(), left, "volumes of the deleted workload cluster");

      String deleted = script(5, "delete", management);
      assertTrue(deleted.contains("no container, volume or secret of it is left"), deleted);
    } catch (Throwable t) {
      if (client != null) saveProviderLogs(client);
      throw t;
    } finally {
      if (client != null) client.close();
      script(2, "down");
      for (String cluster : List.of(hosted, management)) {
        for (String container : containers(cluster)) docker("rm", "-f", "-v", container);
      }
    }
  }

  private static String value(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + prefix + " line in " + lines)).substring(prefix.length());
  }

  private static List<String> containers(String cluster) throws Exception {
    return docker("ps", "-a", "--format", "{{.Names}}", "--filter", "label=" + LABEL + cluster).lines()
        .filter(l -> !l.isBlank()).sorted().toList();
  }

  private static List<String> volumes(List<String> containers) throws Exception {
    return containers.stream().flatMap(c -> {
      try {
        return Arrays.stream(docker("inspect", "-f", "{{range .Mounts}}{{.Name}} {{end}}", c).strip().split(" "));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(v -> !v.isBlank()).toList();
  }

  /**
   * hack/quickstart.sh with its own management plane (no KUBECONFIG), as a user on a fresh machine runs it; what it
   * printed, its log lines included.
   */
  private static String script(int minutes, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "hack/quickstart.sh"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ClusterManifest.repoRoot().toFile())
        .redirectErrorStream(true);
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.print(out);
    assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), String.join(" ", command) + " did not finish:\n" + out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
    return out;
  }

  private static String run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + out);
    return out;
  }

  private static void saveProviderLogs(KubernetesClient client) {
    Path dir = ClusterManifest.repoRoot().resolve("e2e/target/e2e-artifacts/self-hosted-providers");
    try {
      Files.createDirectories(dir);
      for (String ns : DEPLOYMENTS.keySet()) {
        for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
          Files.writeString(dir.resolve(pod.getMetadata().getName() + ".log"),
              client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).getLog());
        }
      }
      System.err.println("provider logs: " + dir);
    } catch (Exception e) {
      System.err.println("cannot save the providers' logs: " + e);
    }
  }
}
