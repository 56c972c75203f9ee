package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.capdjava.testenv.ProviderEndpoints;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provider process's manager against a real API server: leader election, probes, authenticated metrics. */
@ExtendWith(ManagementPlaneExtension.class)
class ProviderManagerTest {
  private static final String LABEL = "capd-java.test/marked";

  /** Records which ConfigMaps it reconciled: enough to tell which replica is doing the work. */
  @ControllerConfiguration(name = "configmap-marker", informer = @Informer(labelSelector = LABEL))
  static final class MarkingReconciler implements Reconciler<ConfigMap> {
    final Set<String> reconciled = ConcurrentHashMap.newKeySet();

    @Override
    public UpdateControl<ConfigMap> reconcile(ConfigMap configMap, Context<ConfigMap> context) {
      reconciled.add(configMap.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
  }

  private static ManagerOptions electing(String namespace) {
    return new ManagerOptions(Set.of(namespace), 2,
        Optional.of(new ManagerOptions.LeaderElection("marker-lease", namespace, Duration.ofSeconds(15),
            Duration.ofSeconds(10), Duration.ofSeconds(2))),
        Optional.empty(), Optional.empty(), true);
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndAStandbyTakesOverWhenItStops(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    MarkingReconciler first = new MarkingReconciler();
    MarkingReconciler second = new MarkingReconciler();
    ProviderManager leader = new ProviderManager(client, electing(ns));
    leader.register(first);
    leader.start();
    await("the first replica leads", leader::isLeading);
    try (ProviderManager standby = new ProviderManager(client, electing(ns))) {
      standby.register(second);
      standby.start();
      createMarked(client, ns, "before-handover");
      await("the leader reconciles", () -> first.reconciled.contains("before-handover"));
      assertEquals(leader.identity(), lease(client, ns).getSpec().getHolderIdentity());
      assertFalse(standby.isLeading());
      assertEquals(Set.of(), second.reconciled, "a standby must not reconcile");

      leader.close();
      assertTrue(Optional.ofNullable(lease(client, ns).getSpec().getHolderIdentity())
              .filter(h -> h.equals(leader.identity())).isEmpty(),
          "a leader that stops cleanly gives the lease up instead of leaving it to expire");
      await("the standby takes the lease", standby::isLeading);
      assertEquals(standby.identity(), lease(client, ns).getSpec().getHolderIdentity());
      createMarked(client, ns, "after-handover");
      await("the new leader reconciles", () -> second.reconciled.contains("after-handover"));
      assertFalse(first.reconciled.contains("after-handover"));
    } finally {
      leader.close();
    }
  }

  @Test
  void probesAnswerAndMetricsNeedATokenAllowedToGetMetrics(ManagementPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    MarkingReconciler reconciler = new MarkingReconciler();
    InetSocketAddress anyPort = new InetSocketAddress("127.0.0.1", 0);
    String readerRole = "metrics-reader-" + ns;
    try (ProviderManager manager = new ProviderManager(client, new ManagerOptions(Set.of(ns), 2, Optional.empty(),
        Optional.of(anyPort), Optional.of(anyPort), false))) {
      manager.register(reconciler);
      manager.start();
      String health = "http://127.0.0.1:" + manager.healthAddress().orElseThrow().getPort();
      assertEquals(200, get(health + "/healthz", null).statusCode());
      assertEquals(200, get(health + "/readyz", null).statusCode());
      assertEquals(404, get(health + "/readyz/extra", null).statusCode());

      createMarked(client, ns, "counted");
      await("the reconcile happened", () -> reconciler.reconciled.contains("counted"));
      String metrics = "https://127.0.0.1:" + manager.diagnosticsAddress().orElseThrow().getPort() + "/metrics";
      assertEquals(401, get(metrics, null).statusCode(), "no token");
      assertEquals(401, get(metrics, "not-a-token").statusCode(), "a token the API server does not know");

      client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
          .withName("prometheus").endMetadata().build()).create();
      String token = client.serviceAccounts().inNamespace(ns).withName("prometheus")
          .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
          .getStatus().getToken();
      assertEquals(403, get(metrics, token).statusCode(), "a valid token without RBAC for /metrics");

      client.resource(new ClusterRoleBuilder().withNewMetadata().withName(readerRole).endMetadata()
          .addNewRule().withNonResourceURLs("/metrics").withVerbs("get").endRule().build()).create();
      client.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(readerRole).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(readerRole)
          .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("prometheus").withNamespace(ns)
          .endSubject().build()).create();
      HttpResponse<String> allowed = awaitResponse(metrics, token, 200);
      assertTrue(allowed.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      String body = allowed.body();
      assertTrue(body.contains("controller_runtime_reconcile_total{controller=\"configmap-marker\",result=\"success\"} "),
          body);
      assertTrue(ProviderEndpoints.sample(body, "controller_runtime_reconcile_total{controller=\"configmap-marker\",result=\"success\"}")
          >= 1, body);
      assertTrue(body.contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"configmap-marker\","
          + "le=\"+Inf\"}"), body);
      assertTrue(ProviderEndpoints.sample(body, "process_resident_memory_bytes") > 0, body);
    } finally {
      client.rbac().clusterRoleBindings().withName(readerRole).delete();
      client.rbac().clusterRoles().withName(readerRole).delete();
    }
  }

  @Test
  void insecureDiagnosticsServeMetricsOverPlainHttp(ManagementPlane plane) throws Exception {
    InetSocketAddress anyPort = new InetSocketAddress("127.0.0.1", 0);
    try (ProviderManager manager = new ProviderManager(plane.client(), new ManagerOptions(Set.of(plane.namespace()),
        2, Optional.empty(), Optional.empty(), Optional.of(anyPort), true))) {
      manager.register(new MarkingReconciler());
      manager.start();
      assertEquals(Optional.empty(), manager.healthAddress());
      HttpResponse<String> response =
          get("http://127.0.0.1:" + manager.diagnosticsAddress().orElseThrow().getPort() + "/metrics", null);
      assertEquals(200, response.statusCode());
      assertTrue(response.body().contains("controller_runtime_max_concurrent_reconciles{controller=\"configmap-marker\"} 2"),
          response.body());
    }
  }

  private static void createMarked(KubernetesClient client, String ns, String name) {
    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .addToLabels(LABEL, "true").endMetadata().build()).create();
  }

  private static Lease lease(KubernetesClient client, String ns) {
    return client.leases().inNamespace(ns).withName("marker-lease").get();
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out waiting until " + what);
      sleep();
    }
  }

  /** RBAC changes reach the authorizer's cache within moments. */
  private static HttpResponse<String> awaitResponse(String url, String token, int status) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    HttpResponse<String> response = get(url, token);
    while (response.statusCode() != status && Instant.now().isBefore(deadline)) {
      sleep();
      response = get(url, token);
    }
    assertEquals(status, response.statusCode(), response.body());
    return response;
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    return ProviderEndpoints.get(url, token);
  }
}
