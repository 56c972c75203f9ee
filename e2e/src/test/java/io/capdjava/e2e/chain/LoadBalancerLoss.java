package io.capdjava.e2e.chain;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;

/**
 * The load balancer container of a running cluster stopped ({@code docker stop}) or removed ({@code docker rm -f})
 * from outside, as a user or a host reboot would: how long until the workload API answers through the cluster's
 * endpoint again, with the load balancer back on the endpoint's address.
 */
final class LoadBalancerLoss {
  /**
   * The provider acts on the engine's events: the workload API must answer again within seconds (#18), not at the
   * provider's next periodic look (60 s). The fault suite saw 47-54 s after a stop while the provider read the
   * container's state from the engine's list, which lags the die event on a busy engine.
   */
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(20);

  private LoadBalancerLoss() {}

  /** Stops the load balancer; returns the time until the workload API answered through it again. */
  static Duration stopped(E2eCluster cluster) throws Exception {
    return heal(cluster, "stop");
  }

  /** Removes the load balancer container; returns the time until the workload API answered through it again. */
  static Duration removed(E2eCluster cluster) throws Exception {
    return heal(cluster, "rm");
  }

  private static Duration heal(E2eCluster cluster, String how) throws Exception {
    String lb = cluster.name + "-lb";
    String address = address(lb);
    Config config = Config.fromKubeconfig(cluster.kubeconfig());
    config.setConnectionTimeout(1000);
    config.setRequestTimeout(2000);
    try (KubernetesClient workload = new KubernetesClientBuilder().withConfig(config).build()) {
      workload.getKubernetesVersion();
      String out = how.equals("rm") ? QuickStartTest.docker("rm", "-f", lb) : QuickStartTest.docker("stop", lb);
      Instant lost = Instant.now();
      cluster.log("load balancer " + lb + " " + (how.equals("rm") ? "removed" : "stopped") + ": " + out.strip());
      while (Duration.between(lost, Instant.now()).compareTo(GIVE_UP_AFTER) < 0) {
        try {
          if (address.equals(address(lb))) {
            workload.getKubernetesVersion();
            Duration healed = Duration.between(lost, Instant.now());
            cluster.log(String.format("workload API answers through %s on %s again %.1f s after it was %s", lb,
                address, healed.toMillis() / 1000.0, how.equals("rm") ? "removed" : "stopped"));
            return healed;
          }
        } catch (RuntimeException notYet) {
          // refused, no route, timed out: not back yet
        }
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the workload API did not answer through " + lb + " on " + address + " within "
        + GIVE_UP_AFTER.toSeconds() + " s after docker " + how + " (now on '" + address(lb) + "')");
  }

  /** The container's address on the kind network; empty when it is not running. */
  private static String address(String container) throws Exception {
    String ip = QuickStartTest.docker("inspect", "-f", "{{if .State.Running}}{{with index .NetworkSettings.Networks \"kind\"}}"
        + "{{.IPAddress}}{{end}}{{end}}", container).strip();
    return ip.startsWith("Error") || ip.contains(" ") ? "" : ip;
  }
}
