package io.capdjava.bootstrap.reconciler;

import static io.capdjava.bootstrap.reconciler.ClusterFixtures.await;
import static io.capdjava.bootstrap.reconciler.ClusterFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.bootstrap.reconciler.KubeadmConfigReconcilerTest.CloudConfig;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * KubeadmConfigs of MachinePools against the real management plane, where upstream CAPI core's MachinePool
 * controller sets the owner reference and copies the data secret name. Join tokens live {@link #TTL}, short so that
 * refreshes and rotations happen while the test watches; the plane stands in for the workload cluster.
 */
@ExtendWith(ManagementPlaneExtension.class)
class MachinePoolBootstrapTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String JOIN = "  joinConfiguration:\n    nodeRegistration:\n"
      + "      criSocket: unix:///var/run/containerd/containerd.sock\n";
  private static ProviderManager operator;

  @BeforeAll
  static void startProvider(ManagementPlane plane) {
    operator = BootstrapProviderMain.start(plane.client(), ManagerOptions.embedded(plane.namespace(), 10), TTL);
  }

  @AfterAll
  static void stopProvider() {
    if (operator != null) operator.close();
  }

  @Test
  void aPoolGetsWorkerJoinDataWhoseTokenIsExtendedWhileInstancesJoinAndRecreatedWhenGone(ManagementPlane plane)
      throws Exception {
    KubernetesClient client = plane.client();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    fx.initializedCluster("pool", plane.kubeconfig());
    KubeadmConfig config = fx.config("pool-mp", "pool", JOIN);
    var pool = fx.machinePool("pool-mp", "pool", 1, "v1.30.5", config);

    KubeadmConfig done = await("bootstrap data for the MachinePool", TIMEOUT, () -> created(fx, "pool-mp"));
    OwnerReference owner = done.getMetadata().getOwnerReferences().get(0);
    assertEquals(List.of("MachinePool", pool.getMetadata().getUid()), List.of(owner.getKind(), owner.getUid()),
        "owned by the MachinePool (set by CAPI core)");
    assertEquals("pool-mp", done.getStatus().dataSecretName);
    assertEquals(Conditions.TRUE, condition(done, Contract.Condition.READY).getStatus());
    await("CAPI core copies the data secret name into the MachinePool's template", TIMEOUT, () -> {
      var template = fx.machinePool("pool-mp").getSpec().template.spec;
      return template.bootstrap != null && "pool-mp".equals(template.bootstrap.dataSecretName);
    });

    // a worker join, with the version of the pool's template (1.30: kubeadm v1beta3) and no certificates
    String token = done.getSpec().joinConfiguration.discovery.bootstrapToken.token;
    CloudConfig cloud = CloudConfig.of(text(fx.secret("pool-mp"), "value"));
    assertEquals(List.of("/run/kubeadm/kubeadm-join-config.yaml", "/run/cluster-api/placeholder"), cloud.paths());
    assertEquals(List.of("kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml  && echo success > "
        + "/run/cluster-api/bootstrap-success.complete"), cloud.runcmd());
    String join = cloud.file("/run/kubeadm/kubeadm-join-config.yaml");
    assertTrue(join.startsWith("---\napiVersion: kubeadm.k8s.io/v1beta3\n"), join);
    assertTrue(join.contains("    token: " + token + "\n"), join);
    assertTrue(join.contains("    key: node.cluster.x-k8s.io/uninitialized\n"), join);
    assertEquals("172.18.0.3:6443", done.getSpec().joinConfiguration.discovery.bootstrapToken.apiServerEndpoint);

    // no instance has a Node yet: the same token is extended, without waiting for an event
    Instant first = expiration(client, token);
    await("token extended while the pool's instances join", TIMEOUT, () -> expiration(client, token).isAfter(first));
    assertEquals(token, fx.get("pool-mp").getSpec().joinConfiguration.discovery.bootstrapToken.token,
        "extended in place: joining instances run with it");

    // deleted on expiry (by the token cleaner): a new token in new data, for the instances still to come
    client.secrets().inNamespace("kube-system").withName(tokenSecretName(token)).delete();
    String recreated = await("a new token in the pool's bootstrap data", TIMEOUT,
        () -> newTokenInData(fx, "pool-mp", token));
    assertTrue(recreated.matches("[a-z0-9]{6}\\.[a-z0-9]{16}"), "token format");
    assertNotNull(client.secrets().inNamespace("kube-system").withName(tokenSecretName(recreated)).get());
    assertEquals("pool-mp", fx.get("pool-mp").getStatus().dataSecretName, "same data secret, new content");
  }

  @Test
  void aPoolWithAllItsNodesKeepsAFreshTokenForScaleUpsByRotation(ManagementPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    fx.initializedCluster("idle", plane.kubeconfig());
    KubeadmConfig config = fx.config("idle-mp", "idle", JOIN);
    // scaled to zero: as many nodeRefs (none) as replicas, so every Node the pool wants has joined
    fx.machinePool("idle-mp", "idle", 0, "v1.34.1", config);

    KubeadmConfig done = await("bootstrap data for the MachinePool", TIMEOUT, () -> created(fx, "idle-mp"));
    String token = done.getSpec().joinConfiguration.discovery.bootstrapToken.token;
    Instant firstExpiration = expiration(client, token);
    assertTrue(CloudConfig.of(text(fx.secret("idle-mp"), "value")).file("/run/kubeadm/kubeadm-join-config.yaml")
        .startsWith("---\napiVersion: kubeadm.k8s.io/v1beta4\n"), "the template's version 1.34: kubeadm v1beta4");

    // not extended: once less than half the TTL is left it is replaced, and the data with it
    String rotated = await("a rotated token in the pool's bootstrap data", TIMEOUT,
        () -> newTokenInData(fx, "idle-mp", token));
    assertEquals(firstExpiration, expiration(client, token), "the old token is left alone to expire");
    Duration left = Duration.between(Instant.now(), expiration(client, rotated));
    assertTrue(left.compareTo(TTL.dividedBy(2)) >= 0 && left.compareTo(TTL) <= 0, "the new token's lifetime: " + left);
    assertEquals(Conditions.TRUE, condition(fx.get("idle-mp"), Contract.Condition.READY).getStatus());
  }

  /** The token in the KubeadmConfig once it differs from {@code old} and the data secret uses it; else null. */
  private static String newTokenInData(ClusterFixtures fx, String config, String old) {
    String token = fx.get(config).getSpec().joinConfiguration.discovery.bootstrapToken.token;
    if (token == null || token.equals(old)) return null;
    String join = CloudConfig.of(text(fx.secret(config), "value")).file("/run/kubeadm/kubeadm-join-config.yaml");
    assertNotEquals(-1, join.indexOf("    token: "), join);
    return join.contains("    token: " + token + "\n") ? token : null;
  }

  private static Instant expiration(KubernetesClient client, String token) {
    Secret secret = client.secrets().inNamespace("kube-system").withName(tokenSecretName(token)).get();
    assertNotNull(secret, "token secret " + tokenSecretName(token));
    return Instant.parse(text(secret, "expiration"));
  }

  private static String tokenSecretName(String token) {
    return "bootstrap-token-" + token.substring(0, 6);
  }

  private static KubeadmConfig created(ClusterFixtures fx, String name) {
    KubeadmConfig c = fx.get(name);
    return c.getStatus() != null && c.getStatus().initialization != null
        && Boolean.TRUE.equals(c.getStatus().initialization.dataSecretCreated) ? c : null;
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(KubeadmConfig c, String type) {
    return c.getStatus() == null ? null : Conditions.get(c.getStatus().conditions, type).orElse(null);
  }
}
