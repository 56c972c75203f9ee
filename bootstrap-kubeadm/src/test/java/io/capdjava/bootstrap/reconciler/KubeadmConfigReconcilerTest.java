package io.capdjava.bootstrap.reconciler;

import io.capdjava.testenv.Edits;
import static io.capdjava.bootstrap.reconciler.ClusterFixtures.await;
import static io.capdjava.bootstrap.reconciler.ClusterFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.certs.CaCertHashes;
import io.capdjava.core.certs.ClusterCertificates;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The KubeadmConfig controller running against the real management plane, next to upstream CAPI core's
 * controllers. The workload cluster for bootstrap tokens is the plane itself (its kubeconfig in
 * {@code <cluster>-kubeconfig}).
 */
@ExtendWith(ManagementPlaneExtension.class)
class KubeadmConfigReconcilerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String NODE_REGISTRATION = "    nodeRegistration:\n"
      + "      criSocket: unix:///var/run/containerd/containerd.sock\n";
  private static ProviderManager operator;

  @BeforeAll
  static void startProvider(ManagementPlane plane) {
    operator = BootstrapProviderMain.start(plane.client(), ManagerOptions.embedded(plane.namespace(), 10),
        Duration.ofMinutes(15));
  }

  @AfterAll
  static void stopProvider() {
    if (operator != null) operator.close();
  }

  @Test
  void onlyOneOfThreeControlPlaneMachinesCreatedAtOnceRunsKubeadmInit(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    fx.cluster("lock", null);
    List<KubeadmConfig> configs = IntStream.range(0, 3)
        .mapToObj(i -> fx.config("lock-cp-" + i, "lock", "  initConfiguration:\n" + NODE_REGISTRATION)).toList();
    CompletableFuture.allOf(IntStream.range(0, 3).mapToObj(i -> CompletableFuture.runAsync(
        () -> fx.machine("lock-cp-" + i, "lock", true, "v1.34.1", configs.get(i)))).toArray(CompletableFuture[]::new))
        .join();

    await("one KubeadmConfig with bootstrap data", TIMEOUT, () -> created(fx, configs).size() == 1);
    await("the other two waiting for the control plane", TIMEOUT, () -> configs.stream().map(c -> fx.get(c.getMetadata().getName()))
        .filter(c -> condition(c, Contract.Bootstrap.DATA_SECRET_AVAILABLE) != null
            && "Waiting for Cluster control plane to be initialized".equals(
                condition(c, Contract.Bootstrap.DATA_SECRET_AVAILABLE).getMessage())).count() == 2);
    sleep(Duration.ofSeconds(3)); // several more reconciles of all three
    List<KubeadmConfig> winners = created(fx, configs);
    assertEquals(1, winners.size(), "exactly one machine runs kubeadm init");
    long initSecrets = configs.stream().map(c -> fx.secret(c.getMetadata().getName()))
        .filter(s -> s != null && text(s, "value").contains("kubeadm init")).count();
    assertEquals(1, initSecrets, "exactly one bootstrap data secret contains kubeadm init");

    KubeadmConfig winner = winners.get(0);
    String machine = winner.getMetadata().getName();
    var lock = client.configMaps().inNamespace(plane.namespace()).withName("lock-lock").get();
    assertEquals("{\"machineName\":\"" + machine + "\"}", lock.getData().get("lock-information"));
    assertEquals("Cluster", lock.getMetadata().getOwnerReferences().get(0).getKind());
    assertEquals("lock", lock.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));

    // the data secret, as CAPI core and infrastructure providers expect it
    Secret data = fx.secret(machine);
    assertEquals("cluster.x-k8s.io/secret", data.getType());
    assertEquals(Set.of("value", "format"), data.getData().keySet());
    assertEquals("cloud-config", text(data, "format"));
    assertEquals("lock", data.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));
    OwnerReference owner = data.getMetadata().getOwnerReferences().get(0);
    assertEquals(List.of("KubeadmConfig", winner.getMetadata().getUid(), true),
        List.of(owner.getKind(), owner.getUid(), owner.getController()));
    assertEquals(machine, winner.getStatus().dataSecretName);
    assertEquals(Conditions.TRUE, condition(winner, Contract.Condition.READY).getStatus());
    assertEquals(Conditions.TRUE, condition(winner, Contract.Bootstrap.CERTIFICATES_AVAILABLE).getStatus());
    assertEquals(winner.getMetadata().getGeneration(), winner.getStatus().observedGeneration);
    assertEquals("172.18.0.3:6443", winner.getSpec().clusterConfiguration.controlPlaneEndpoint,
        "the endpoint is written back into the spec, as upstream does");

    // without a control plane provider the first KubeadmConfig generates the cluster CAs and owns them
    for (String suffix : List.of("ca", "etcd", "proxy", "sa")) {
      Secret ca = fx.secret("lock-" + suffix);
      assertEquals(winner.getMetadata().getUid(), ca.getMetadata().getOwnerReferences().get(0).getUid(), suffix);
    }
    CloudConfig cloud = CloudConfig.of(text(data, "value"));
    assertEquals(text(fx.secret("lock-ca"), "tls.crt"), cloud.file("/etc/kubernetes/pki/ca.crt"));
    assertEquals(text(fx.secret("lock-sa"), "tls.key"), cloud.file("/etc/kubernetes/pki/sa.key"));
    String kubeadm = cloud.file("/run/kubeadm/kubeadm.yaml");
    assertTrue(kubeadm.startsWith("---\napiServer: {}\napiVersion: kubeadm.k8s.io/v1beta4\nclusterName: lock\n"), kubeadm);
    assertTrue(kubeadm.contains("kubernetesVersion: v1.34.1\nnetworking:\n  dnsDomain: cluster.local\n"
        + "  podSubnet: 192.168.0.0/16\n  serviceSubnet: 10.128.0.0/12\n"), kubeadm);
    assertTrue(kubeadm.contains("---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"), kubeadm);
    assertEquals(List.of("kubeadm init --config /run/kubeadm/kubeadm.yaml  && echo success > "
        + "/run/cluster-api/bootstrap-success.complete"), cloud.runcmd());
  }

  @Test
  void controlPlaneAndWorkerMachinesJoinWithTokenDiscoveryAndCertificates(ManagementPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    ClusterCertificates certs = initializedCluster(plane, fx, "join");
    String caPem = certs.get(io.capdjava.core.certs.CertificatePurpose.CLUSTER_CA).orElseThrow().keyPair().cert();

    KubeadmConfig cp = fx.config("join-cp-1", "join", "  joinConfiguration:\n" + NODE_REGISTRATION);
    fx.machine("join-cp-1", "join", true, "v1.34.1", cp);
    KubeadmConfig worker = fx.config("join-md-1", "join", "  joinConfiguration:\n" + NODE_REGISTRATION);
    fx.machine("join-md-1", "join", false, "v1.30.5", worker);
    // no spec at all, as upstream's e2e templates make their workers' KubeadmConfigTemplate: upstream joins it
    KubeadmConfig bare = fx.config("join-md-2", "join", "");
    fx.machine("join-md-2", "join", false, "v1.34.1", bare);
    KubeadmConfig cpDone = await("control plane join data", TIMEOUT, () -> createdConfig(fx, "join-cp-1"));
    KubeadmConfig workerDone = await("worker join data", TIMEOUT, () -> createdConfig(fx, "join-md-1"));
    KubeadmConfig bareDone = await("join data of the worker without spec", TIMEOUT,
        () -> createdConfig(fx, "join-md-2"));
    String bareJoin = CloudConfig.of(text(fx.secret("join-md-2"), "value")).file("/run/kubeadm/kubeadm-join-config.yaml");
    assertTrue(bareJoin.contains("    token: " + bareDone.getSpec().joinConfiguration.discovery.bootstrapToken.token
        + "\n"), bareJoin);

    // control plane join: certificates on the node, controlPlane: {} and discovery written back to the spec
    CloudConfig cpCloud = CloudConfig.of(text(fx.secret("join-cp-1"), "value"));
    assertEquals(List.of("/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/pki/ca.key", "/etc/kubernetes/pki/etcd/ca.crt",
        "/etc/kubernetes/pki/etcd/ca.key", "/etc/kubernetes/pki/front-proxy-ca.crt",
        "/etc/kubernetes/pki/front-proxy-ca.key", "/etc/kubernetes/pki/sa.pub", "/etc/kubernetes/pki/sa.key",
        "/run/kubeadm/kubeadm-join-config.yaml", "/run/cluster-api/placeholder"), cpCloud.paths());
    assertEquals(caPem, cpCloud.file("/etc/kubernetes/pki/ca.crt"));
    assertEquals(List.of("kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml  && echo success > "
        + "/run/cluster-api/bootstrap-success.complete"), cpCloud.runcmd());
    assertNotNull(cpDone.getSpec().joinConfiguration.controlPlane, "controlPlane: {} persisted");
    var discovery = cpDone.getSpec().joinConfiguration.discovery.bootstrapToken;
    assertEquals("172.18.0.3:6443", discovery.apiServerEndpoint);
    assertEquals(CaCertHashes.of(caPem), discovery.caCertHashes);
    assertNull(discovery.unsafeSkipCAVerification);
    assertTrue(discovery.token.matches("[a-z0-9]{6}\\.[a-z0-9]{16}"), "token format");
    String cpJoin = cpCloud.file("/run/kubeadm/kubeadm-join-config.yaml");
    assertTrue(cpJoin.startsWith("apiVersion: kubeadm.k8s.io/v1beta4\ncontrolPlane:\n  localAPIEndpoint: {}\n"), cpJoin);
    assertTrue(cpJoin.contains("    token: " + discovery.token + "\n"), cpJoin);
    assertBootstrapTokenSecret(client, discovery.token);

    // worker: no certificates, the uninitialized taint in the rendered config but not in the spec, v1beta3 for 1.30
    CloudConfig workerCloud = CloudConfig.of(text(fx.secret("join-md-1"), "value"));
    assertEquals(List.of("/run/kubeadm/kubeadm-join-config.yaml", "/run/cluster-api/placeholder"), workerCloud.paths());
    String workerJoin = workerCloud.file("/run/kubeadm/kubeadm-join-config.yaml");
    assertTrue(workerJoin.startsWith("---\napiVersion: kubeadm.k8s.io/v1beta3\n"), workerJoin);
    assertTrue(workerJoin.contains("  taints:\n  - effect: NoSchedule\n    key: node.cluster.x-k8s.io/uninitialized\n"),
        workerJoin);
    assertNull(workerDone.getSpec().joinConfiguration.nodeRegistration.taints, "the taint is not persisted");
    assertNull(client.configMaps().inNamespace(plane.namespace()).withName("join-lock").get());
    assertEquals(Conditions.TRUE, condition(workerDone, Contract.Condition.READY).getStatus());

    // an owner reference naming an older version of our API is rewritten to v1beta2 (upstream's e2e checks it)
    client.secrets().inNamespace(plane.namespace()).withName("join-md-2").edit(x -> {
      x.getMetadata().getOwnerReferences().forEach(r -> r.setApiVersion("bootstrap.cluster.x-k8s.io/v1alpha1"));
      return x;
    });
    client.resources(KubeadmConfig.class).inNamespace(plane.namespace()).withName("join-md-2")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"test/touch\":\"1\"}}}");
    await("the data secret's owner reference at v1beta2", TIMEOUT, () -> fx.secret("join-md-2").getMetadata()
        .getOwnerReferences().stream().map(OwnerReference::getApiVersion).toList()
        .equals(List.of("bootstrap.cluster.x-k8s.io/v1beta2")));

    // refreshed while the Machine has no Node: a nearly expired token is extended to a full TTL
    String workerToken = workerDone.getSpec().joinConfiguration.discovery.bootstrapToken.token;
    String tokenSecret = "bootstrap-token-" + workerToken.substring(0, 6);
    client.secrets().inNamespace("kube-system").withName(tokenSecret).edit(s -> {
      s.getData().put("expiration", b64(Instant.now().plusSeconds(60).toString()));
      return s;
    });
    // as kubectl annotate does: a merge patch, no resourceVersion to conflict with the provider's status writes
    client.resources(KubeadmConfig.class).inNamespace(plane.namespace()).withName("join-md-1")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"test/touch\":\"1\"}}}");
    await("token expiration extended", TIMEOUT, () -> Instant.parse(text(client.secrets().inNamespace("kube-system")
        .withName(tokenSecret).get(), "expiration")).isAfter(Instant.now().plus(Duration.ofMinutes(14))));
  }

  @Test
  void badInputGetsAConditionNamingTheFieldAndNothingHalfWritten(ManagementPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    initializedCluster(plane, fx, "bad");
    String join = "  joinConfiguration:\n" + NODE_REGISTRATION;
    KubeadmConfig missing = fx.config("bad-secret", "bad", join
        + "  files:\n  - path: /etc/app.conf\n    contentFrom:\n      secret:\n        name: app-config\n        key: app.conf\n");
    fx.machine("bad-secret", "bad", false, "v1.34.1", missing);
    KubeadmConfig workerAsCp = fx.config("bad-worker", "bad", "  joinConfiguration:\n    controlPlane: {}\n");
    fx.machine("bad-worker", "bad", false, "v1.34.1", workerAsCp);
    KubeadmConfig ignition = fx.config("bad-format", "bad", join + "  format: ignition\n");
    fx.machine("bad-format", "bad", false, "v1.34.1", ignition);
    KubeadmConfig old = fx.config("bad-version", "bad", join);
    fx.machine("bad-version", "bad", false, "v1.21.14", old);
    KubeadmConfig password = fx.config("bad-passwd", "bad", join
        + "  users:\n  - name: ops\n    passwdFrom:\n      secret:\n        name: ops-password\n        key: hash\n");
    fx.machine("bad-passwd", "bad", false, "v1.34.1", password);

    assertCondition(fx, "bad-secret", "NotAvailable", "spec.files[0].contentFrom.secret: secret " + plane.namespace()
        + "/app-config not found");
    assertCondition(fx, "bad-worker", "InvalidSpec", "spec.joinConfiguration.controlPlane: must not be set for worker"
        + " Machine bad-worker");
    assertCondition(fx, "bad-format", "InvalidSpec", "spec.format: ignition is not supported");
    assertCondition(fx, "bad-version", "InvalidSpec", "Machine bad-version spec.version: the bootstrap provider for kubeadm"
        + " doesn't support Kubernetes version lower than v1.22.0");
    assertCondition(fx, "bad-passwd", "NotAvailable", "spec.users[0].passwdFrom.secret: secret " + plane.namespace()
        + "/ops-password not found");
    for (String name : List.of("bad-secret", "bad-worker", "bad-format", "bad-version", "bad-passwd")) {
      assertNull(fx.secret(name), name + ": no bootstrap data");
      KubeadmConfig c = fx.get(name);
      var bt = c.getSpec().joinConfiguration.discovery == null ? null : c.getSpec().joinConfiguration.discovery.bootstrapToken;
      assertTrue(bt == null || bt.token == null, name + ": no bootstrap token was created");
      assertEquals(Conditions.FALSE, condition(c, Contract.Condition.READY).getStatus(), name);
    }

    // the secret appears: the retry picks it up
    client.resource(new SecretBuilder().withNewMetadata().withName("app-config").withNamespace(plane.namespace())
        .endMetadata().addToStringData("app.conf", "answer=42\n").build()).create();
    await("bootstrap data once the secret exists", TIMEOUT, () -> createdConfig(fx, "bad-secret"));
    assertEquals("answer=42\n", CloudConfig.of(text(fx.secret("bad-secret"), "value")).file("/etc/app.conf"));
  }

  @Test
  void afterAMoveStatusIsRebuiltFromTheMachineAndTheSecretReOwned(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    fx.cluster("moved", null);
    // restored from a backup: the secret exists without owner, the KubeadmConfig and Machine have no status
    client.resource(new SecretBuilder().withNewMetadata().withName("moved-md").withNamespace(plane.namespace())
        .addToLabels(Contract.Label.CLUSTER_NAME, "moved").endMetadata()
        .withType(Contract.Secret.TYPE).addToStringData("value", "#cloud-config from before the move\n")
        .addToStringData("format", "cloud-config").build()).create();
    KubeadmConfig config = fx.config("moved-md", "moved", "  joinConfiguration:\n" + NODE_REGISTRATION);
    var machine = fx.machine("moved-md", "moved", false, "v1.34.1", config);
    // a merge patch as kubectl patch does: CAPI core writes the Machine meanwhile, a resourceVersion would conflict
    client.resources(io.capdjava.api.core.v1beta2.Machine.class).inNamespace(plane.namespace()).withName("moved-md")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"bootstrap\":{\"dataSecretName\":\"moved-md\"}}}");

    KubeadmConfig rebuilt = await("status rebuilt", TIMEOUT, () -> createdConfig(fx, "moved-md"));
    assertEquals("moved-md", rebuilt.getStatus().dataSecretName);
    assertEquals(Conditions.TRUE, condition(rebuilt, Contract.Condition.READY).getStatus());
    Secret secret = fx.secret("moved-md");
    OwnerReference owner = await("secret owned", TIMEOUT, () -> {
      var refs = fx.secret("moved-md").getMetadata().getOwnerReferences();
      return refs == null || refs.isEmpty() ? null : refs.get(0);
    });
    assertEquals(List.of("KubeadmConfig", config.getMetadata().getUid(), true),
        List.of(owner.getKind(), owner.getUid(), owner.getController()), "re-owned by the KubeadmConfig as controller");
    assertEquals("#cloud-config from before the move\n", text(secret, "value"), "not regenerated");
    assertNotNull(machine);
  }

  @Test
  void aPausedKubeadmConfigWaitsAndSaysWhy(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    fx.cluster("paused", null);
    KubeadmConfig config = fx.config("paused-cp", "paused", "  initConfiguration:\n" + NODE_REGISTRATION);
    Edits.retryingOnConflict(client.resources(KubeadmConfig.class).inNamespace(plane.namespace()).withName("paused-cp"), c -> {
      c.getMetadata().setAnnotations(Map.of(Contract.Annotation.PAUSED, ""));
      return c;
    });
    fx.machine("paused-cp", "paused", true, "v1.34.1", config);
    Condition paused = await("Paused condition", TIMEOUT, () -> {
      Condition c = condition(fx.get("paused-cp"), Contract.Condition.PAUSED);
      return c != null && Conditions.TRUE.equals(c.getStatus()) ? c : null;
    });
    assertTrue(paused.getMessage().contains("cluster.x-k8s.io/paused"), paused.getMessage());
    sleep(Duration.ofSeconds(2));
    assertNull(fx.secret("paused-cp"), "nothing generated while paused");

    Edits.retryingOnConflict(client.resources(KubeadmConfig.class).inNamespace(plane.namespace()).withName("paused-cp"), c -> {
      c.getMetadata().setAnnotations(Map.of());
      return c;
    });
    await("bootstrap data after unpausing", TIMEOUT, () -> createdConfig(fx, "paused-cp"));
    assertEquals(Conditions.FALSE, condition(fx.get("paused-cp"), Contract.Condition.PAUSED).getStatus());
  }

  private static ClusterCertificates initializedCluster(ManagementPlane plane, ClusterFixtures fx, String name)
      throws Exception {
    return fx.initializedCluster(name, plane.kubeconfig());
  }

  private static void assertBootstrapTokenSecret(KubernetesClient client, String token) {
    String id = token.substring(0, 6);
    Secret s = client.secrets().inNamespace("kube-system").withName("bootstrap-token-" + id).get();
    assertNotNull(s, "token secret in the workload cluster's kube-system");
    assertEquals("bootstrap.kubernetes.io/token", s.getType());
    assertEquals(Set.of("token-id", "token-secret", "expiration", "usage-bootstrap-signing",
        "usage-bootstrap-authentication", "auth-extra-groups", "description"), s.getData().keySet());
    assertEquals(id, text(s, "token-id"));
    assertEquals(token.substring(7), text(s, "token-secret"));
    assertEquals("true", text(s, "usage-bootstrap-signing"));
    assertEquals("true", text(s, "usage-bootstrap-authentication"));
    assertEquals("system:bootstrappers:kubeadm:default-node-token", text(s, "auth-extra-groups"));
    assertEquals("token generated by cluster-api-bootstrap-provider-kubeadm", text(s, "description"));
    String expiration = text(s, "expiration");
    assertTrue(expiration.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), "RFC 3339 UTC: " + expiration);
    Duration left = Duration.between(Instant.now(), Instant.parse(expiration));
    assertTrue(left.compareTo(Duration.ofMinutes(14)) > 0 && left.compareTo(Duration.ofMinutes(15)) <= 0, "TTL 15m: " + left);
  }

  private static void assertCondition(ClusterFixtures fx, String config, String reason, String messageStart) {
    Condition c = await(config + " DataSecretAvailable " + reason, TIMEOUT, () -> {
      Condition found = condition(fx.get(config), Contract.Bootstrap.DATA_SECRET_AVAILABLE);
      return found != null && reason.equals(found.getReason()) ? found : null;
    });
    assertEquals(Conditions.FALSE, c.getStatus());
    assertTrue(c.getMessage().startsWith(messageStart), config + ": " + c.getMessage());
  }

  private static List<KubeadmConfig> created(ClusterFixtures fx, List<KubeadmConfig> configs) {
    return configs.stream().map(c -> createdConfig(fx, c.getMetadata().getName())).filter(c -> c != null).toList();
  }

  private static KubeadmConfig createdConfig(ClusterFixtures fx, String name) {
    KubeadmConfig c = fx.get(name);
    return c.getStatus() != null && c.getStatus().initialization != null
        && Boolean.TRUE.equals(c.getStatus().initialization.dataSecretCreated) ? c : null;
  }

  private static Condition condition(KubeadmConfig c, String type) {
    return c.getStatus() == null ? null : Conditions.get(c.getStatus().conditions, type).orElse(null);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A cloud-config read back as YAML, the way cloud-init reads it. */
  record CloudConfig(Map<String, Object> yaml) {
    @SuppressWarnings("unchecked")
    static CloudConfig of(String text) {
      assertTrue(text.startsWith("## template: jinja\n#cloud-config\n"), text);
      return new CloudConfig(Serialization.unmarshal(text, Map.class));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files() {
      return (List<Map<String, Object>>) yaml.get("write_files");
    }

    List<String> paths() {
      return files().stream().map(f -> (String) f.get("path")).toList();
    }

    String file(String path) {
      return files().stream().filter(f -> path.equals(f.get("path"))).map(f -> (String) f.get("content")).findFirst()
          .orElseThrow(() -> new AssertionError("no file " + path + " in " + paths()));
    }

    @SuppressWarnings("unchecked")
    List<String> runcmd() {
      return (List<String>) yaml.get("runcmd");
    }
  }

}
