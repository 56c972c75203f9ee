package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Conditions;
import io.capdjava.docker.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Upstream's KubeadmControlPlane remediation on real components, a step of {@link KcpScaleTest}: in a control plane of
 * three Machines the kubelet of one node stops; CAPI core's MachineHealthCheck finds its Node not Ready and hands the
 * Machine over to KCP ({@code OwnerRemediated=False}); KCP deletes it (its etcd member goes in the pre-terminate hook)
 * and creates a replacement carrying {@code remediation-for}; the control plane is back to three healthy Machines and
 * three Ready Nodes.
 */
final class KcpRemediation {
  private KcpRemediation() {}

  /** Node Ready Unknown for this long makes the Machine unhealthy. */
  static final int UNHEALTHY_AFTER_SECONDS = 30;

  /**
   * Stops the kubelet of a control plane node that is not the etcd leader (with its kubelet gone nothing can reach it
   * to hand leadership over, upstream's KCP included) under a MachineHealthCheck, and waits until KCP has replaced its
   * Machine; returns the control plane's Node names after.
   */
  static List<String> replaceAMachineWhoseKubeletStopped(E2eCluster cluster, List<String> before) throws Exception {
    String leader = etcdLeader(cluster, before.get(0));
    String victim = before.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    String victimMachine = cluster.machines(true).stream()
        .filter(m -> victim.equals(m.getStatus().nodeRef.name)).findFirst().orElseThrow().getMetadata().getName();

    cluster.client.resource(machineHealthCheck(cluster, cluster.name + "-control-plane-mhc",
        Map.of("cluster.x-k8s.io/control-plane", ""))).create();
    String out = QuickStartTest.docker("exec", victim, "systemctl", "stop", "kubelet");
    cluster.log("kubelet stopped on " + victim + " (Machine " + victimMachine + ", etcd leader " + leader + ") "
        + out.strip());

    waitFor("the MachineHealthCheck to hand " + victimMachine + " over to KCP", Duration.ofMinutes(5), () -> {
      Machine m = cluster.client.resources(Machine.class).inNamespace(cluster.namespace).withName(victimMachine)
          .get();
      return m == null || m.getMetadata().getDeletionTimestamp() != null
          || Conditions.get(m.getStatus().conditions, "OwnerRemediated").isPresent() ? Boolean.TRUE : null;
    });
    cluster.log("Machine " + victimMachine + " marked unhealthy");

    Machine replacement = waitFor("a replacement Machine carrying remediation-for", Duration.ofMinutes(6), () ->
        cluster.machines(true).stream()
            .filter(m -> m.getMetadata().getAnnotations() != null && m.getMetadata().getAnnotations()
                .getOrDefault(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION, "").contains(victimMachine))
            .findFirst().orElse(null));
    cluster.log("replacement Machine " + replacement.getMetadata().getName() + " created");

    List<String> after = KcpScaleTest.waitForHealthyControlPlane(cluster, before.size());
    cluster.log("three control plane Machines healthy again");
    assertFalse(after.contains(victim), "the unhealthy node is gone: " + after);
    assertEquals(after, cluster.etcdMembers(after.get(0)), "one etcd member per control plane Machine");
    waitFor("three Ready Nodes", Duration.ofMinutes(2), () -> cluster.readyNodes().equals(after)
        && cluster.nodes().equals(after) ? Boolean.TRUE : null);

    KubeadmControlPlane kcp = cluster.kcp();
    Map<String, String> annotations = kcp.getMetadata().getAnnotations();
    assertTrue(annotations == null
        || !annotations.containsKey(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION), "remediation done");
    assertNotNull(kcp.getStatus().lastRemediation, "status.lastRemediation");
    assertEquals(victimMachine, kcp.getStatus().lastRemediation.machine);
    assertEquals(0, kcp.getStatus().lastRemediation.retryCount);
    return after;
  }

  /** CAPI core's MachineHealthCheck over the cluster's Machines of these labels, quick to act on a Node not Ready. */
  static GenericKubernetesResource machineHealthCheck(E2eCluster cluster, String name, Map<String, String> labels) {
    Map<String, Object> notReady = Map.of("type", "Ready", "status", "Unknown",
        "timeoutSeconds", UNHEALTHY_AFTER_SECONDS);
    Map<String, Object> notReadyFalse = Map.of("type", "Ready", "status", "False",
        "timeoutSeconds", UNHEALTHY_AFTER_SECONDS);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("cluster.x-k8s.io/v1beta2")
        .withKind("MachineHealthCheck")
        .withNewMetadata().withName(name).withNamespace(cluster.namespace)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of(
            "clusterName", cluster.name,
            "selector", Map.of("matchLabels", labels),
            "checks", Map.of("nodeStartupTimeoutSeconds", 600,
                "unhealthyNodeConditions", List.of(notReady, notReadyFalse)))))
        .build();
  }

  /** The etcd leader's member name, asked of the etcd on {@code node} (not through KCP's code). */
  private static String etcdLeader(E2eCluster cluster, String node) throws Exception {
    String pki = "/etc/kubernetes/pki/etcd/";
    String ip = cluster.providers.runtime.find(node).orElseThrow().ipv4On(Labels.NETWORK);
    String ca = read(cluster, node, pki + "ca.crt");
    String cert = read(cluster, node, pki + "healthcheck-client.crt");
    String key = read(cluster, node, pki + "healthcheck-client.key");
    String leaderId = EtcdGateway.post(ip, ca, cert, key, "/v3/maintenance/status").path("leader").asText();
    for (JsonNode m : EtcdGateway.post(ip, ca, cert, key, "/v3/cluster/member/list").path("members")) {
      if (m.path("ID").asText().equals(leaderId)) return m.path("name").asText();
    }
    throw new IllegalStateException("etcd leader " + leaderId + " is not a member");
  }

  private static String read(E2eCluster cluster, String container, String path) {
    var result = cluster.providers.runtime.exec(container, List.of("cat", path), Duration.ofSeconds(30));
    if (result.exitCode() != 0) throw new IllegalStateException("cannot read " + path + ": " + result.output());
    return result.output();
  }
}
