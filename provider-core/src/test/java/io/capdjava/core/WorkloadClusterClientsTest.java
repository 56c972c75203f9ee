package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The management plane stands in for a workload cluster: its own kubeconfig goes into {@code <cluster>-kubeconfig}. */
@ExtendWith(ManagementPlaneExtension.class)
class WorkloadClusterClientsTest {
  @Test
  void clientIsBuiltFromTheKubeconfigSecretReusedAndRebuiltWhenItChanges(ManagementPlane plane) throws Exception {
    KubernetesClient management = plane.client();
    String ns = plane.namespace();
    try (WorkloadClusterClients clients = new WorkloadClusterClients(management)) {
      assertTrue(clients.forCluster(ns, "w1").isEmpty(), "no secret, no client");

      byte[] kubeconfig = Files.readAllBytes(plane.kubeconfig());
      var owner = management.configMaps().inNamespace(ns)
          .resource(new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build()).create();
      Secret secret = ClusterSecrets.build(ns, Contract.Secret.kubeconfig("w1"), "w1", owner, Map.of("value", kubeconfig));
      management.resource(secret).create();

      KubernetesClient first = clients.forCluster(ns, "w1").orElseThrow();
      assertTrue(first.namespaces().withName(ns).get() != null, "the client reaches the cluster");
      assertSame(first, clients.forCluster(ns, "w1").orElseThrow(), "reused while the secret is unchanged");
      assertSame(management.getKubernetesSerialization(), first.getKubernetesSerialization(),
          "one serialization (one Jackson mapper and its caches) for every workload client, not one per cluster");

      management.secrets().inNamespace(ns).withName("w1-kubeconfig")
          .edit(s -> { s.getMetadata().setAnnotations(Map.of("rotated", "yes")); return s; });
      KubernetesClient second = clients.forCluster(ns, "w1").orElseThrow();
      assertNotSame(first, second, "rebuilt after the secret changed");
      assertTrue(second.namespaces().withName(ns).get() != null);
    }
  }

  /** A provider with no deletion hook for a cluster's client must not keep one per cluster it ever served. */
  @Test
  void aClientNobodyAskedForInTenMinutesIsClosedAndBuiltAgainWhenAsked(ManagementPlane plane) throws Exception {
    KubernetesClient management = plane.client();
    String ns = plane.namespace();
    byte[] kubeconfig = Files.readAllBytes(plane.kubeconfig());
    var owner = management.configMaps().inNamespace(ns)
        .resource(new ConfigMapBuilder().withNewMetadata().withName("owner-idle").endMetadata().build()).create();
    management.resource(ClusterSecrets.build(ns, Contract.Secret.kubeconfig("idle"), "idle", owner,
        Map.of("value", kubeconfig))).create();
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    try (WorkloadClusterClients clients = new WorkloadClusterClients(management, clock)) {
      KubernetesClient first = clients.forCluster(ns, "idle").orElseThrow();
      now.set(now.get().plus(Duration.ofMinutes(9)));
      assertSame(first, clients.forCluster(ns, "idle").orElseThrow(), "asked again within ten minutes: kept");

      now.set(now.get().plus(Duration.ofMinutes(11)));
      assertTrue(clients.forCluster(ns, "gone").isEmpty());
      assertEquals(0, clients.cached(), "the idle client is closed when any other cluster is asked for");
      KubernetesClient again = clients.forCluster(ns, "idle").orElseThrow();
      assertNotSame(first, again);
      assertTrue(again.namespaces().withName(ns).get() != null, "built again, it reaches the cluster");
    }
  }
}
