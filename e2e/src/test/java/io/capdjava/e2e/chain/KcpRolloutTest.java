package io.capdjava.e2e.chain;

import io.capdjava.testenv.Edits;
import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.Arg;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A KubeadmControlPlane rollout on real components, the way an upgrade goes: a changed API server setting makes the
 * only control plane Machine outdated; KCP first writes the new setting into the workload cluster's
 * {@code kube-system/kubeadm-config} (a joining Machine reads its cluster configuration from there), then adds a
 * Machine, whose API server runs with the new setting, and removes the old one with its etcd member. The workload API
 * stays reachable through the load balancer.
 */
@ExtendWith(ManagementPlaneExtension.class)
class KcpRolloutTest {
  @Test
  void changedApiServerSettingsRollOutThroughKubeadmConfigToANewMachine(ManagementPlane plane) throws Exception {
    E2eCluster.create(plane, "kcp-rollout", "kcpr", 1, 0).exercise(cluster -> {
      List<String> before = KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
      cluster.log("one control plane Machine healthy");

      ApiAvailabilityProbe probe = new ApiAvailabilityProbe(cluster.kubeconfig());
      try {
        Edits.retryingOnConflict(cluster.client.resources(KubeadmControlPlane.class).inNamespace(cluster.namespace).withName(cluster.kcpName()), k -> {
              var apiServer = k.getSpec().kubeadmConfigSpec.clusterConfiguration.apiServer;
              apiServer.extraArgs = new ArrayList<>(List.of(new Arg("event-ttl", "2h")));
              return k;
            });
        cluster.log("KubeadmControlPlane changed: apiServer.extraArgs event-ttl=2h");
        waitFor("RollingOut", Duration.ofMinutes(1), () -> Conditions.isTrue(cluster.kcp().getStatus().conditions,
            "RollingOut") ? Boolean.TRUE : null);

        String clusterConfiguration = waitFor("kubeadm-config with the new API server argument", Duration.ofMinutes(2),
            () -> {
              ConfigMap cm = cluster.workload().configMaps().inNamespace("kube-system").withName("kubeadm-config")
                  .get();
              String config = cm.getData().get("ClusterConfiguration");
              return config.contains("name: event-ttl") ? config : null;
            });
        assertTrue(clusterConfiguration.contains("kubernetesVersion: " + E2eCluster.VERSION), clusterConfiguration);

        List<String> after = KcpScaleTest.waitForHealthyControlPlane(cluster, 1);
        cluster.log("rolled out to a new control plane Machine");
        assertNotEquals(before, after, "the outdated Machine was replaced");
        assertEquals(after, cluster.etcdMembers(after.get(0)), "the old Machine's etcd member is gone");
        Pod apiServer = cluster.workload().pods().inNamespace("kube-system").withName("kube-apiserver-" + after.get(0))
            .get();
        List<String> command = apiServer.getSpec().getContainers().get(0).getCommand();
        assertTrue(command.contains("--event-ttl=2h"), "kubeadm join took the setting from kubeadm-config: " + command);
        KubeadmControlPlane kcp = cluster.kcp();
        assertEquals(1, kcp.getStatus().upToDateReplicas);
        assertTrue(Conditions.get(kcp.getStatus().conditions, "RollingOut").map(c -> "False".equals(c.getStatus()))
            .orElse(false), "the rollout is over");
        waitFor("the old Machine's container and Node to go", Duration.ofMinutes(2), () ->
            cluster.containers().equals(java.util.stream.Stream.of(cluster.name + "-lb", after.get(0)).sorted().toList())
                && cluster.nodes().equals(after) ? Boolean.TRUE : null);

        probe.close();
        assertTrue(probe.longestOutage().compareTo(KcpScaleTest.LONGEST_TOLERATED_OUTAGE) <= 0, probe.summary());
      } finally {
        probe.close();
        System.out.println("kcp-rollout: workload API during the rollout: " + probe.summary());
      }
    });
  }
}
