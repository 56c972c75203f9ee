package io.capdjava.controlplane;

import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneSpec;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.core.v1beta2.Bootstrap;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ClusterSpec;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DevClusterInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterSpec;
import io.capdjava.api.infrastructure.v1beta2.DevClusterStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineSpec;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplate;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplateResource;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplateSpec;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.certs.Pem;
import io.capdjava.testenv.Edits;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The KubeadmControlPlane reconciler against a real API server with upstream CAPI core running: the objects it
 * creates for the first Machine and how CAPI core takes them over, the scale subresource with {@code kubectl scale},
 * what happens while no Node ever appears, and deletion. No infrastructure provider runs here, so Machines never get
 * a Node and the workload cluster never answers: the DockerCluster's status is set the way the Docker provider would.
 * Real workload clusters are in the e2e module's KcpScaleTest and KcpRolloutTest.
 */
@ExtendWith(ManagementPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeadmControlPlaneObjectGraphTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String CLUSTER = "graph";
  private static final String KCP = "graph-control-plane";
  private static final String TEMPLATE = "graph-control-plane-v1";
  private static final String VERSION = "v1.34.2";

  private KubernetesClient client;
  private String namespace;
  private Path kubeconfig;
  private ProviderManager operator;
  private int endpointPort;

  @BeforeAll
  void startOperatorAndCluster(ManagementPlane plane) throws IOException {
    client = plane.client();
    namespace = plane.namespace();
    kubeconfig = plane.kubeconfig();
    endpointPort = closedPort();

    client.resource(template()).create();
    client.resource(kcp()).create();
    DockerCluster dockerCluster = client.resource(dockerCluster()).create();
    // what the Docker provider reports once the load balancer runs
    dockerCluster.setStatus(new DevClusterStatus());
    dockerCluster.getStatus().initialization = new DevClusterInitializationStatus();
    dockerCluster.getStatus().initialization.provisioned = true;
    dockerCluster.getStatus().failureDomains = List.of(failureDomain("fd-a"), failureDomain("fd-b"));
    client.resource(dockerCluster).updateStatus();
    client.resource(cluster()).create();

    operator = ControlPlaneProviderMain.start(client, ManagerOptions.embedded(namespace, 10));
  }

  @AfterAll
  void stopOperator() {
    if (operator != null) operator.close();
  }

  @Test
  @Order(1)
  void firstMachineGetsInfraMachineKubeadmConfigAndMachineAsUpstreamMakesThem() {
    KubeadmControlPlane kcp = await("the KCP to get its finalizer",
        () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
            .filter(k -> k.getMetadata().getFinalizers().contains(Contract.Finalizer.KUBEADM_CONTROL_PLANE)));
    Machine machine = await("the first control plane Machine", () -> controlPlaneMachines().stream().findFirst());
    String name = machine.getMetadata().getName();

    assertTrue(name.startsWith(KCP + "-"), "Machine name from the default naming template: " + name);
    assertEquals(KCP.length() + 6, name.length(), "<kcp>-<5 random characters>: " + name);
    Map<String, String> labels = machine.getMetadata().getLabels();
    assertEquals(CLUSTER, labels.get(Contract.Label.CLUSTER_NAME));
    assertEquals("", labels.get(Contract.Label.CONTROL_PLANE));
    assertEquals(KCP, labels.get(Contract.Label.CONTROL_PLANE_NAME));
    assertEquals("from-template", labels.get("example.com/role"), "machineTemplate.metadata labels propagate");
    assertEquals("", machine.getMetadata().getAnnotations().get(KubeadmControlPlane.PRE_TERMINATE_HOOK_CLEANUP_ANNOTATION));
    assertControlledBy(machine, "KubeadmControlPlane", KCP, kcp.getMetadata().getUid());
    assertEquals(CLUSTER, machine.getSpec().clusterName);
    assertEquals(VERSION, machine.getSpec().version);
    assertEquals("fd-a", machine.getSpec().failureDomain, "first of the control plane failure domains");
    assertRef(machine.getSpec().infrastructureRef, Contract.INFRASTRUCTURE_GROUP, "DockerMachine", name);
    assertRef(machine.getSpec().bootstrap.configRef, Contract.BOOTSTRAP_GROUP, "KubeadmConfig", name);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> gates = (List<Map<String, Object>>) machine.getSpec().getUnknownFields().get("readinessGates");
    assertEquals(List.of("NodeKubeadmLabelsAndTaintsSet", "APIServerPodHealthy", "ControllerManagerPodHealthy",
        "SchedulerPodHealthy", "EtcdPodHealthy", "EtcdMemberHealthy"),
        gates.stream().map(g -> g.get("conditionType")).toList());

    KubeadmConfig config = get(KubeadmConfig.class, name);
    assertNotNull(config, "KubeadmConfig named after the Machine");
    assertEquals(CLUSTER, config.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));
    assertEquals("", config.getMetadata().getLabels().get(Contract.Label.CONTROL_PLANE));
    assertNotNull(config.getSpec().initConfiguration, "the first Machine runs kubeadm init");
    assertEquals("init-node", config.getSpec().initConfiguration.nodeRegistration.name);
    assertNull(config.getSpec().joinConfiguration, "the init config carries no join configuration");
    assertEquals(Boolean.TRUE, config.getSpec().clusterConfiguration.featureGates.get("ControlPlaneKubeletLocalMode"),
        "kubelet local mode is defaulted for Kubernetes 1.31 to 1.35");

    DockerMachine dockerMachine = get(DockerMachine.class, name);
    assertNotNull(dockerMachine, "DockerMachine cloned from the template under the Machine's name");
    assertEquals(TEMPLATE, dockerMachine.getMetadata().getAnnotations().get(Contract.Annotation.CLONED_FROM_NAME));
    assertEquals("DockerMachineTemplate.infrastructure.cluster.x-k8s.io",
        dockerMachine.getMetadata().getAnnotations().get(Contract.Annotation.CLONED_FROM_GROUP_KIND));
    assertEquals("kindest/node:custom", dockerMachine.getSpec().customImage, "the template's spec is cloned");
    assertEquals(CLUSTER, dockerMachine.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));
    assertEquals("from-template", dockerMachine.getMetadata().getLabels().get("example.com/role"));

    // CAPI core's Machine controller takes over: the Machine becomes controller, the KCP reference goes
    String machineUid = machine.getMetadata().getUid();
    for (Class<? extends HasMetadata> kind : List.of(KubeadmConfig.class, DockerMachine.class)) {
      HasMetadata owned = await(kind.getSimpleName() + " owned by the Machine", () -> Optional.ofNullable(get(kind, name))
          .filter(o -> o.getMetadata().getOwnerReferences().stream()
              .anyMatch(r -> machineUid.equals(r.getUid()) && Boolean.TRUE.equals(r.getController()))));
      assertTrue(owned.getMetadata().getOwnerReferences().stream().noneMatch(r -> "KubeadmControlPlane".equals(r.getKind())),
          kind.getSimpleName() + " no longer references the KCP: " + owned.getMetadata().getOwnerReferences());
    }

    // the template now belongs to the Cluster (clusterctl move, deletion)
    DockerMachineTemplate template = get(DockerMachineTemplate.class, TEMPLATE);
    Cluster cluster = get(Cluster.class, CLUSTER);
    assertTrue(template.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> "Cluster".equals(r.getKind()) && cluster.getMetadata().getUid().equals(r.getUid())));
  }

  /**
   * A KCP killed between making a Machine's InfraMachine and KubeadmConfig and making the Machine left both behind;
   * the next reconciles find them and delete them, and leave the first Machine's own objects alone.
   */
  @Test
  @Order(1)
  void objectsOfAMachineThatWasNeverCreatedAreDeleted() {
    KubeadmControlPlane kcp = await("the KCP", () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
        .filter(k -> k.getMetadata().getUid() != null));
    String firstMachine = await("the first control plane Machine", () -> controlPlaneMachines().stream().findFirst())
        .getMetadata().getName();
    String dangling = KCP + "-crash";
    var ownedByKcp = new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("controlplane.cluster.x-k8s.io/v1beta2").withKind("KubeadmControlPlane").withName(KCP)
        .withUid(kcp.getMetadata().getUid()).build();
    Map<String, String> labels = Map.of(Contract.Label.CLUSTER_NAME, CLUSTER, Contract.Label.CONTROL_PLANE, "",
        Contract.Label.CONTROL_PLANE_NAME, KCP);
    DockerMachine infra = new DockerMachine();
    infra.setMetadata(new ObjectMetaBuilder().withName(dangling).withNamespace(namespace).withLabels(labels)
        .withOwnerReferences(ownedByKcp).build());
    infra.setSpec(new DockerMachineSpec());
    client.resource(infra).create();
    KubeadmConfig config = new KubeadmConfig();
    config.setMetadata(new ObjectMetaBuilder().withName(dangling).withNamespace(namespace).withLabels(labels)
        .withOwnerReferences(ownedByKcp).build());
    config.setSpec(new io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec());
    config.getSpec().format = "cloud-config";
    client.resource(config).create();

    await("the dangling DockerMachine and KubeadmConfig deleted", () -> get(DockerMachine.class, dangling) == null
        && get(KubeadmConfig.class, dangling) == null ? Optional.of(true) : Optional.empty());
    assertNotNull(get(DockerMachine.class, firstMachine), "the first Machine's DockerMachine stays");
    assertNotNull(get(KubeadmConfig.class, firstMachine), "the first Machine's KubeadmConfig stays");
  }

  @Test
  @Order(2)
  void certificatesAndKubeconfigAreClusterSecretsControlledByTheKcp() {
    KubeadmControlPlane kcp = get(KubeadmControlPlane.class, KCP);
    for (String suffix : List.of("ca", "etcd", "proxy", "sa")) {
      Secret secret = await("secret " + CLUSTER + "-" + suffix,
          () -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(CLUSTER + "-" + suffix).get()));
      assertEquals(Contract.Secret.TYPE, secret.getType());
      assertEquals(CLUSTER, secret.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));
      assertControlledBy(secret, "KubeadmControlPlane", KCP, kcp.getMetadata().getUid());
      assertTrue(ClusterSecrets.data(secret, Contract.Secret.TLS_CERT_KEY).isPresent(), suffix + " has tls.crt");
      assertTrue(ClusterSecrets.data(secret, Contract.Secret.TLS_KEY_KEY).isPresent(), suffix + " has tls.key");
    }

    Secret kubeconfigSecret = await("secret " + CLUSTER + "-kubeconfig",
        () -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(CLUSTER + "-kubeconfig").get()));
    assertEquals(Contract.Secret.TYPE, kubeconfigSecret.getType());
    assertEquals(CLUSTER, kubeconfigSecret.getMetadata().getLabels().get(Contract.Label.CLUSTER_NAME));
    assertControlledBy(kubeconfigSecret, "KubeadmControlPlane", KCP, kcp.getMetadata().getUid());
    String value = new String(ClusterSecrets.data(kubeconfigSecret, Contract.Secret.VALUE_KEY).orElseThrow(),
        StandardCharsets.UTF_8);
    io.fabric8.kubernetes.api.model.Config config = Serialization.unmarshal(value, io.fabric8.kubernetes.api.model.Config.class);
    assertEquals("https://127.0.0.1:" + endpointPort, config.getClusters().get(0).getCluster().getServer());
    assertEquals(CLUSTER + "-admin", config.getUsers().get(0).getName());

    X509Certificate ca = Pem.certificate(new String(ClusterSecrets.data(
        client.secrets().inNamespace(namespace).withName(CLUSTER + "-ca").get(), Contract.Secret.TLS_CERT_KEY)
        .orElseThrow(), StandardCharsets.UTF_8));
    X509Certificate admin = Pem.certificate(new String(Base64.getDecoder().decode(
        config.getUsers().get(0).getUser().getClientCertificateData()), StandardCharsets.UTF_8));
    assertDoesNotThrowSigned(admin, ca);
    assertTrue(admin.getSubjectX500Principal().getName().contains("CN=kubernetes-admin"));
    assertTrue(admin.getSubjectX500Principal().getName().contains("O=system:masters"));
    assertTrue(admin.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(364))),
        "a fresh client certificate is valid for a year");
  }

  /**
   * Upstream's e2e "owner references are resilient": with the Cluster paused, every owner reference of the control
   * plane's objects is removed (as a backup/restore does), then the Cluster is unpaused; the KCP adopts its Machine back
   * and controls the cluster's secrets again, the template is the Cluster's again.
   */
  /**
   * Upstream's node-drain spec labels the control plane's Nodes through the KCP's machineTemplate.metadata and sets
   * its drain timeout, then schedules pods by that label: both reach the existing Machine, its DockerMachine and its
   * KubeadmConfig in place, without a rollout; a label the KCP drops again goes, the labels of creation stay.
   */
  @Test
  @Order(2)
  void templateMetadataAndDeletionTimeoutsReachExistingMachinesInPlace() {
    Machine machine = await("a control plane Machine", () -> controlPlaneMachines().stream().findFirst());
    String name = machine.getMetadata().getName();
    String owner = "owner.node.cluster.x-k8s.io";
    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
      k.getSpec().machineTemplate.metadata.labels.put(owner, "KubeadmControlPlane-" + KCP);
      if (k.getSpec().machineTemplate.metadata.annotations == null) {
        k.getSpec().machineTemplate.metadata.annotations = new java.util.HashMap<>();
      }
      k.getSpec().machineTemplate.metadata.annotations.put("example.com/note", "in-place");
      if (k.getSpec().machineTemplate.spec.deletion == null) {
        k.getSpec().machineTemplate.spec.deletion =
            new io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateDeletionSpec();
      }
      k.getSpec().machineTemplate.spec.deletion.nodeDrainTimeoutSeconds = 0;
      return k;
    });
    Machine synced = await("the label, annotation and drain timeout on the Machine", () -> Optional.ofNullable(
        get(Machine.class, name)).filter(m -> ("KubeadmControlPlane-" + KCP).equals(m.getMetadata().getLabels().get(owner))
            && "in-place".equals(m.getMetadata().getAnnotations().get("example.com/note"))
            && m.getSpec().getUnknownFields().get("deletion") instanceof Map<?, ?> d
            && Integer.valueOf(0).equals(d.get("nodeDrainTimeoutSeconds"))));
    assertEquals("from-template", synced.getMetadata().getLabels().get("example.com/role"));
    await("the label on the DockerMachine and the KubeadmConfig", () -> Optional.of(Boolean.TRUE).filter(x ->
        ("KubeadmControlPlane-" + KCP).equals(get(DockerMachine.class, name).getMetadata().getLabels().get(owner))
            && ("KubeadmControlPlane-" + KCP).equals(get(KubeadmConfig.class, name).getMetadata().getLabels().get(owner))));
    assertEquals(List.of(name), names(controlPlaneMachines()), "no rollout for metadata");

    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
      k.getSpec().machineTemplate.metadata.labels.remove(owner);
      return k;
    });
    Machine dropped = await("the dropped label gone from the Machine", () -> Optional.ofNullable(get(Machine.class, name))
        .filter(m -> !m.getMetadata().getLabels().containsKey(owner)));
    assertEquals("from-template", dropped.getMetadata().getLabels().get("example.com/role"), "labels still named stay");
    assertEquals(KCP, dropped.getMetadata().getLabels().get(Contract.Label.CONTROL_PLANE_NAME));

    // upstream's clusterclass-rollout: a label the Machine got at creation and the KCP then drops goes from the Machine,
    // its DockerMachine and its KubeadmConfig (KCP creates them by server-side apply); another writer's label stays
    client.resources(Machine.class).inNamespace(namespace).withName(name).edit(m -> {
      m.getMetadata().getLabels().put("example.com/set-by-user", "kept");
      return m;
    });
    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
      k.getSpec().machineTemplate.metadata.labels.remove("example.com/role");
      return k;
    });
    await("the creation-time label gone from the Machine, DockerMachine and KubeadmConfig", () ->
        Optional.of(Boolean.TRUE).filter(x -> List.<HasMetadata>of(get(Machine.class, name),
            get(DockerMachine.class, name), get(KubeadmConfig.class, name)).stream()
            .noneMatch(o -> o.getMetadata().getLabels().containsKey("example.com/role"))));
    Machine after = get(Machine.class, name);
    assertEquals("kept", after.getMetadata().getLabels().get("example.com/set-by-user"), "another writer's label stays");
    assertEquals(KCP, after.getMetadata().getLabels().get(Contract.Label.CONTROL_PLANE_NAME));
    assertEquals(List.of(name), names(controlPlaneMachines()), "no rollout for metadata");
  }

  @Test
  @Order(2)
  void ownerReferencesRemovedAsByABackupRestoreAreRebuilt() {
    KubeadmControlPlane kcp = get(KubeadmControlPlane.class, KCP);
    String uid = kcp.getMetadata().getUid();
    List<String> secrets = List.of(CLUSTER + "-ca", CLUSTER + "-etcd", CLUSTER + "-proxy", CLUSTER + "-sa",
        CLUSTER + "-kubeconfig");
    for (String s : secrets) {
      await("secret " + s, () -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(s).get()));
    }
    Machine machine = await("a control plane Machine", () -> controlPlaneMachines().stream().findFirst());
    String name = machine.getMetadata().getName();
    setPaused(true);
    Edits.retryingOnConflict(client.resources(Machine.class).inNamespace(namespace).withName(name), m -> withoutOwners(m));
    for (String s : secrets) client.secrets().inNamespace(namespace).withName(s).edit(x -> withoutOwners(x));
    client.genericKubernetesResources(Contract.INFRASTRUCTURE_GROUP + "/v1beta2", "DockerMachineTemplate")
        .inNamespace(namespace).withName(TEMPLATE).edit(t -> withoutOwners(t));
    setPaused(false);

    Machine adopted = await("the Machine controlled by the KCP again", () -> Optional.ofNullable(
        client.resources(Machine.class).inNamespace(namespace).withName(name).get())
        .filter(m -> m.getMetadata().getOwnerReferences() != null && !m.getMetadata().getOwnerReferences().isEmpty()));
    assertControlledBy(adopted, "KubeadmControlPlane", KCP, uid);
    for (String s : secrets) {
      Secret secret = await("secret " + s + " owned again", () -> Optional.ofNullable(
          client.secrets().inNamespace(namespace).withName(s).get())
          .filter(x -> x.getMetadata().getOwnerReferences() != null && !x.getMetadata().getOwnerReferences().isEmpty()));
      assertControlledBy(secret, "KubeadmControlPlane", KCP, uid);
    }
    var template = await("the template owned by the Cluster again", () -> Optional.ofNullable(
        client.genericKubernetesResources(Contract.INFRASTRUCTURE_GROUP + "/v1beta2", "DockerMachineTemplate")
            .inNamespace(namespace).withName(TEMPLATE).get())
        .filter(t -> t.getMetadata().getOwnerReferences() != null && !t.getMetadata().getOwnerReferences().isEmpty()));
    assertEquals(List.of("Cluster/" + CLUSTER), template.getMetadata().getOwnerReferences().stream()
        .map(r -> r.getKind() + "/" + r.getName()).toList());
    assertEquals(List.of(name), names(controlPlaneMachines()), "adopted, not replaced");

    // upstream's e2e "owner references are updated to the correct API version": every reference names v1alpha1
    setPaused(true);
    Edits.retryingOnConflict(client.resources(Machine.class).inNamespace(namespace).withName(name), m -> atV1alpha1(m));
    for (String s : secrets) client.secrets().inNamespace(namespace).withName(s).edit(x -> atV1alpha1(x));
    setPaused(false);
    Machine updated = await("the Machine's controller reference at v1beta2 again", () -> Optional.ofNullable(
        client.resources(Machine.class).inNamespace(namespace).withName(name).get())
        .filter(m -> m.getMetadata().getOwnerReferences().stream().noneMatch(r -> r.getApiVersion().endsWith("v1alpha1"))));
    assertControlledBy(updated, "KubeadmControlPlane", KCP, uid);
    for (String s : secrets) {
      Secret secret = await("secret " + s + " at v1beta2 again", () -> Optional.ofNullable(
          client.secrets().inNamespace(namespace).withName(s).get())
          .filter(x -> x.getMetadata().getOwnerReferences().stream().noneMatch(r -> r.getApiVersion().endsWith("v1alpha1"))));
      assertControlledBy(secret, "KubeadmControlPlane", KCP, uid);
    }
  }

  private <T extends HasMetadata> T atV1alpha1(T object) {
    for (OwnerReference r : object.getMetadata().getOwnerReferences()) {
      r.setApiVersion(r.getApiVersion().substring(0, r.getApiVersion().indexOf('/')) + "/v1alpha1");
    }
    return object;
  }

  private <T extends HasMetadata> T withoutOwners(T object) {
    object.getMetadata().setOwnerReferences(new java.util.ArrayList<>());
    return object;
  }

  private void setPaused(boolean paused) {
    client.resources(Cluster.class).inNamespace(namespace).withName(CLUSTER)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"paused\":" + paused + "}}");
  }

  @Test
  @Order(3)
  void aKubeconfigWhoseClientCertificateExpiresWithinHalfAYearIsRotatedKeepingItsServer() throws Exception {
    Secret caSecret = client.secrets().inNamespace(namespace).withName(CLUSTER + "-ca").get();
    X509Certificate ca = Pem.certificate(text(caSecret, Contract.Secret.TLS_CERT_KEY));
    PrivateKey caKey = Pem.privateKey(text(caSecret, Contract.Secret.TLS_KEY_KEY));
    String server = "https://localhost:" + endpointPort;
    String expiring = kubeconfigWithClientCertificate(server, ca, caKey, Duration.ofDays(30));
    client.secrets().inNamespace(namespace).withName(CLUSTER + "-kubeconfig").edit(s -> {
      s.getData().put(Contract.Secret.VALUE_KEY,
          Base64.getEncoder().encodeToString(expiring.getBytes(StandardCharsets.UTF_8)));
      return s;
    });
    touchKcp();

    io.fabric8.kubernetes.api.model.Config rotated = await("a rotated client certificate", () -> {
      Secret s = client.secrets().inNamespace(namespace).withName(CLUSTER + "-kubeconfig").get();
      io.fabric8.kubernetes.api.model.Config c =
          Serialization.unmarshal(text(s, Contract.Secret.VALUE_KEY), io.fabric8.kubernetes.api.model.Config.class);
      X509Certificate cert = Pem.certificate(new String(Base64.getDecoder().decode(
          c.getUsers().get(0).getUser().getClientCertificateData()), StandardCharsets.UTF_8));
      return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(364)))
          ? Optional.of(c) : Optional.empty();
    });
    assertEquals(server, rotated.getClusters().get(0).getCluster().getServer(), "rotation keeps the server");
    X509Certificate fresh = Pem.certificate(new String(Base64.getDecoder().decode(
        rotated.getUsers().get(0).getUser().getClientCertificateData()), StandardCharsets.UTF_8));
    assertDoesNotThrowSigned(fresh, ca);
  }

  @Test
  @Order(4)
  void statusReportsTheMachineAndThatTheControlPlaneIsNotInitialized() {
    KubeadmControlPlane kcp = await("KCP status with one replica", () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
        .filter(k -> k.getStatus() != null && Integer.valueOf(1).equals(k.getStatus().replicas)));
    assertEquals("cluster.x-k8s.io/cluster-name=" + CLUSTER + ",cluster.x-k8s.io/control-plane", kcp.getStatus().selector);
    assertEquals(VERSION, kcp.getStatus().version);
    assertEquals(1, kcp.getStatus().versions.size());
    assertEquals(0, kcp.getStatus().readyReplicas);
    assertEquals(0, kcp.getStatus().availableReplicas);
    assertEquals(kcp.getMetadata().getGeneration(), kcp.getStatus().observedGeneration);
    assertNull(kcp.getStatus().initialization, "the workload cluster never answered, so it is not initialized");
    assertCondition(kcp, "CertificatesAvailable", "True", "Available");
    assertCondition(kcp, "Initialized", "False", "NotInitialized");
    assertCondition(kcp, "Paused", "False", "NotPaused");
    assertCondition(kcp, "ScalingUp", "False", "NotScalingUp");
    assertCondition(kcp, "ScalingDown", "False", "NotScalingDown");
    Condition available = assertCondition(kcp, "Available", "False", "NotAvailable");
    assertEquals("Control plane not yet initialized", available.getMessage());
    Condition etcd = assertCondition(kcp, "EtcdClusterHealthy", "Unknown", "InspectionFailed");
    assertEquals("Waiting for Cluster control plane to be initialized", etcd.getMessage());

    Machine machine = controlPlaneMachines().get(0);
    Machine withConditions = await("KCP's conditions on the Machine", () -> Optional.ofNullable(get(Machine.class,
        machine.getMetadata().getName())).filter(m -> Conditions.get(m.getStatus().conditions, "APIServerPodHealthy").isPresent()));
    Condition upToDate = Conditions.get(withConditions.getStatus().conditions, "UpToDate").orElseThrow();
    assertEquals("True", upToDate.getStatus());
    Condition apiServer = Conditions.get(withConditions.getStatus().conditions, "APIServerPodHealthy").orElseThrow();
    assertEquals("Unknown", apiServer.getStatus());
    assertEquals("Waiting for Cluster control plane to be initialized", apiServer.getMessage());
  }

  @Test
  @Order(5)
  void kubectlScaleToThreeWaitsForTheFirstMachineToGetHealthyNodeAsUpstreamDoes() throws Exception {
    String out = kubectl("scale", "kubeadmcontrolplane/" + KCP, "--replicas=3");
    assertTrue(out.contains("scaled"), out);

    KubeadmControlPlane kcp = await("ScalingUp with the preflight reasons", () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
        .filter(k -> Conditions.get(k.getStatus().conditions, "ScalingUp").filter(c -> "True".equals(c.getStatus())).isPresent()));
    assertEquals(3, kcp.getSpec().replicas);
    Condition scalingUp = Conditions.get(kcp.getStatus().conditions, "ScalingUp").orElseThrow();
    assertEquals("ScalingUp", scalingUp.getReason());
    assertEquals("Scaling up from 1 to 3 replicas is blocked because:\n"
        + "* waiting for control plane components to become healthy\n"
        + "* waiting for etcd cluster to become healthy", scalingUp.getMessage());

    // the scale subresource reads spec.replicas, status.replicas and status.selector
    Map<?, ?> scale = Serialization.unmarshal(kubectl("get", "kubeadmcontrolplane/" + KCP, "--subresource=scale",
        "-o", "json"), Map.class);
    assertEquals(3, ((Map<?, ?>) scale.get("spec")).get("replicas"));
    assertEquals(1, ((Map<?, ?>) scale.get("status")).get("replicas"));
    assertEquals("cluster.x-k8s.io/cluster-name=" + CLUSTER + ",cluster.x-k8s.io/control-plane",
        ((Map<?, ?>) scale.get("status")).get("selector"));

    // no second Machine while the first has no Node: the reconciler requeues every 15s and keeps waiting
    Thread.sleep(Duration.ofSeconds(20).toMillis());
    assertEquals(1, controlPlaneMachines().size(), "still one Machine: " + names(controlPlaneMachines()));
    assertEquals(1, get(KubeadmControlPlane.class, KCP).getStatus().replicas);
  }

  @Test
  @Order(6)
  void kubectlScaleToAnEvenNumberIsRejectedNamingTheField() {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> kubectl("scale", "kubeadmcontrolplane/" + KCP, "--replicas=2"));
    assertTrue(e.getMessage().contains("replicas cannot be an even number when etcd is stacked"), e.getMessage());
    assertEquals(3, get(KubeadmControlPlane.class, KCP).getSpec().replicas);
  }

  @Test
  @Order(7)
  void pausedAnnotationIsReportedAndRemovingItResumes() {
    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
          k.getMetadata().getAnnotations().put(Contract.Annotation.PAUSED, "");
          return k;
        });
    KubeadmControlPlane paused = await("Paused True", () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
        .filter(k -> Conditions.isTrue(k.getStatus().conditions, "Paused")));
    assertEquals("KubeadmControlPlane has the cluster.x-k8s.io/paused annotation",
        Conditions.get(paused.getStatus().conditions, "Paused").orElseThrow().getMessage());

    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
          k.getMetadata().getAnnotations().remove(Contract.Annotation.PAUSED);
          return k;
        });
    await("Paused False", () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
        .filter(k -> Conditions.get(k.getStatus().conditions, "Paused").filter(c -> "False".equals(c.getStatus()))
            .isPresent()));
  }

  /**
   * #18 problem 3: the first Machine never got its infrastructure (a version without a node image, say), the user
   * fixes the spec: the outdated Machine is replaced by one of the current spec, with no rollout through a workload
   * cluster that never existed (upstream stays stuck until a MachineHealthCheck or a user deletes the Machine).
   */
  @Test
  @Order(8)
  void aNeverInitializedMachineWhoseSpecChangedIsReplacedFromTheNewSpec() {
    String first = controlPlaneMachines().get(0).getMetadata().getName();
    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
      k.getSpec().version = "v1.34.3";
      return k;
    });
    Machine replacement = await("a Machine at v1.34.3 in place of " + first, () -> {
      List<Machine> machines = controlPlaneMachines();
      return machines.size() == 1 && !first.equals(machines.get(0).getMetadata().getName())
          && "v1.34.3".equals(machines.get(0).getSpec().version) ? Optional.of(machines.get(0)) : Optional.empty();
    });
    assertNotNull(get(KubeadmConfig.class, replacement.getMetadata().getName()).getSpec().initConfiguration,
        "the replacement initializes the control plane");
    await("a ReplacingUninitializedMachine event", () -> client.v1().events().inNamespace(namespace).list().getItems()
        .stream().filter(e -> "ReplacingUninitializedMachine".equals(e.getReason())
            && e.getMessage().contains(first)).findFirst());
  }

  /** Once the Machine's infrastructure is provisioned, a spec change is a rollout through the workload cluster. */
  @Test
  @Order(9)
  void aNewVersionMakesAProvisionedMachineOutdatedAndTheRolloutWaitsForTheWorkloadCluster() {
    String name = controlPlaneMachines().get(0).getMetadata().getName();
    // what the Docker provider reports once the node is bootstrapped; CAPI core copies it onto the Machine
    Edits.retryingOnConflict(client.resources(DockerMachine.class).inNamespace(namespace).withName(name), d -> {
      d.getSpec().providerID = "docker:////" + name;
      return d;
    });
    DockerMachine infra = get(DockerMachine.class, name);
    infra.setStatus(new io.capdjava.api.infrastructure.v1beta2.DockerMachineStatus());
    infra.getStatus().initialization = new io.capdjava.api.infrastructure.v1beta2.DevMachineInitializationStatus();
    infra.getStatus().initialization.provisioned = true;
    client.resource(infra).updateStatus();
    await("the Machine's infrastructure provisioned", () -> Optional.ofNullable(get(Machine.class, name))
        .filter(m -> m.getStatus() != null && m.getStatus().initialization != null
            && Boolean.TRUE.equals(m.getStatus().initialization.infrastructureProvisioned)));
    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
      k.getSpec().version = "v1.34.4";
      return k;
    });
    KubeadmControlPlane kcp = await("RollingOut True", () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
        .filter(k -> Conditions.isTrue(k.getStatus().conditions, "RollingOut")));
    assertEquals("Rolling out 1 not up-to-date replicas\n* Version v1.34.3, v1.34.4 required",
        Conditions.get(kcp.getStatus().conditions, "RollingOut").orElseThrow().getMessage());
    assertEquals(0, kcp.getStatus().upToDateReplicas);
    Machine machine = await("the Machine's UpToDate condition False", () -> controlPlaneMachines().stream()
        .filter(m -> Conditions.get(m.getStatus().conditions, "UpToDate").filter(c -> "False".equals(c.getStatus()))
            .isPresent())
        .findFirst());
    Condition upToDate = Conditions.get(machine.getStatus().conditions, "UpToDate").orElseThrow();
    assertEquals("NotUpToDate", upToDate.getReason());
    assertEquals("* Version v1.34.3, v1.34.4 required", upToDate.getMessage());
    assertEquals(List.of(name), names(controlPlaneMachines()), "no replacement Machine: kube-system/kubeadm-config"
        + " must be updated first, and the workload cluster (a closed port here) cannot be reached");
  }

  @Test
  @Order(10)
  void deletionWaitsForWorkersThenDeletesControlPlaneMachinesThenTheKcp() {
    client.resource(workerMachine()).create();
    String controlPlaneMachine = controlPlaneMachines().get(0).getMetadata().getName();
    client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP).delete();

    KubeadmControlPlane deleting = await("Deleting: waiting for workers", () -> Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
        .filter(k -> Conditions.get(k.getStatus().conditions, "Deleting")
            .filter(c -> "WaitingForWorkersDeletion".equals(c.getReason())).isPresent()));
    assertEquals("KubeadmControlPlane deletion blocked because following objects still exist:\n* Machines: graph-worker",
        Conditions.get(deleting.getStatus().conditions, "Deleting").orElseThrow().getMessage());
    Machine stillThere = get(Machine.class, controlPlaneMachine);
    assertNull(stillThere.getMetadata().getDeletionTimestamp(), "control plane Machines wait for the workers");

    client.resources(Machine.class).inNamespace(namespace).withName("graph-worker").delete();
    await("the control plane Machine to be gone", () -> get(Machine.class, controlPlaneMachine) == null
        ? Optional.of(true) : Optional.empty());
    await("the KCP to be gone", () -> get(KubeadmControlPlane.class, KCP) == null ? Optional.of(true) : Optional.empty());
    assertNull(get(KubeadmConfig.class, controlPlaneMachine), "CAPI core deleted the KubeadmConfig with the Machine");
    assertNull(get(DockerMachine.class, controlPlaneMachine), "CAPI core deleted the DockerMachine with the Machine");
    await("the KCP-owned secrets to be garbage collected",
        () -> client.secrets().inNamespace(namespace).withLabel(Contract.Label.CLUSTER_NAME, CLUSTER).list().getItems()
            .isEmpty() ? Optional.of(true) : Optional.empty());
  }

  // ---- objects

  private DockerMachineTemplate template() {
    DockerMachineTemplate t = new DockerMachineTemplate();
    t.setMetadata(new ObjectMetaBuilder().withName(TEMPLATE).withNamespace(namespace).build());
    t.setSpec(new DockerMachineTemplateSpec());
    t.getSpec().template = new DockerMachineTemplateResource();
    t.getSpec().template.spec = new DockerMachineSpec();
    t.getSpec().template.spec.customImage = "kindest/node:custom";
    return t;
  }

  private KubeadmControlPlane kcp() {
    KubeadmControlPlane kcp = new KubeadmControlPlane();
    kcp.setMetadata(new ObjectMetaBuilder().withName(KCP).withNamespace(namespace).build());
    KubeadmControlPlaneSpec spec = new KubeadmControlPlaneSpec();
    spec.replicas = 1;
    spec.version = VERSION;
    spec.machineTemplate = new KubeadmControlPlaneMachineTemplate();
    spec.machineTemplate.metadata = new io.capdjava.api.core.v1beta2.ObjectMeta();
    spec.machineTemplate.metadata.labels = Map.of("example.com/role", "from-template");
    spec.machineTemplate.spec = new KubeadmControlPlaneMachineTemplateSpec();
    spec.machineTemplate.spec.infrastructureRef =
        new ContractVersionedObjectReference(Contract.INFRASTRUCTURE_GROUP, "DockerMachineTemplate", TEMPLATE);
    spec.kubeadmConfigSpec = new KubeadmConfigSpec();
    spec.kubeadmConfigSpec.clusterConfiguration = new ClusterConfiguration();
    spec.kubeadmConfigSpec.clusterConfiguration.certificatesDir = "/etc/kubernetes/pki";
    spec.kubeadmConfigSpec.initConfiguration = new InitConfiguration();
    spec.kubeadmConfigSpec.initConfiguration.nodeRegistration = new NodeRegistrationOptions();
    spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.name = "init-node";
    spec.kubeadmConfigSpec.joinConfiguration = new JoinConfiguration();
    spec.kubeadmConfigSpec.joinConfiguration.nodeRegistration = new NodeRegistrationOptions();
    spec.kubeadmConfigSpec.joinConfiguration.nodeRegistration.name = "join-node";
    kcp.setSpec(spec);
    return kcp;
  }

  private DockerCluster dockerCluster() {
    DockerCluster dc = new DockerCluster();
    dc.setMetadata(new ObjectMetaBuilder().withName(CLUSTER).withNamespace(namespace).build());
    dc.setSpec(new DockerClusterSpec());
    dc.getSpec().controlPlaneEndpoint = new APIEndpoint();
    dc.getSpec().controlPlaneEndpoint.host = "127.0.0.1";
    dc.getSpec().controlPlaneEndpoint.port = endpointPort;
    return dc;
  }

  private Cluster cluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName(CLUSTER).withNamespace(namespace).build());
    c.setSpec(new ClusterSpec());
    c.getSpec().controlPlaneRef =
        new ContractVersionedObjectReference(Contract.CONTROL_PLANE_GROUP, "KubeadmControlPlane", KCP);
    c.getSpec().infrastructureRef =
        new ContractVersionedObjectReference(Contract.INFRASTRUCTURE_GROUP, "DockerCluster", CLUSTER);
    return c;
  }

  private Machine workerMachine() {
    Machine m = new Machine();
    m.setMetadata(new ObjectMetaBuilder().withName("graph-worker").withNamespace(namespace)
        .addToLabels(Contract.Label.CLUSTER_NAME, CLUSTER).build());
    m.setSpec(new MachineSpec());
    m.getSpec().clusterName = CLUSTER;
    m.getSpec().version = VERSION;
    m.getSpec().bootstrap = new Bootstrap();
    m.getSpec().bootstrap.dataSecretName = "graph-worker-bootstrap";
    m.getSpec().infrastructureRef =
        new ContractVersionedObjectReference(Contract.INFRASTRUCTURE_GROUP, "DockerMachine", "graph-worker");
    return m;
  }

  private static FailureDomain failureDomain(String name) {
    FailureDomain fd = new FailureDomain();
    fd.name = name;
    fd.controlPlane = true;
    return fd;
  }

  // ---- helpers

  private List<Machine> controlPlaneMachines() {
    return client.resources(Machine.class).inNamespace(namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, CLUSTER).withLabel(Contract.Label.CONTROL_PLANE).list().getItems();
  }

  private <T extends HasMetadata> T get(Class<T> kind, String name) {
    return client.resources(kind).inNamespace(namespace).withName(name).get();
  }

  private void touchKcp() {
    Edits.retryingOnConflict(client.resources(KubeadmControlPlane.class).inNamespace(namespace).withName(KCP), k -> {
      k.getMetadata().getAnnotations().put("test.capd-java.io/touched", Instant.now().toString());
      return k;
    });
  }

  private static String text(Secret secret, String key) {
    return new String(ClusterSecrets.data(secret, key).orElseThrow(), StandardCharsets.UTF_8);
  }

  /** An admin kubeconfig whose client certificate, signed by the cluster CA, expires after {@code validity}. */
  private static String kubeconfigWithClientCertificate(
      String server, X509Certificate ca, PrivateKey caKey, Duration validity) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    Instant now = Instant.now();
    X509CertificateHolder holder = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(42),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)),
        new X500Name("O=system:masters,CN=kubernetes-admin"), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
    Base64.Encoder b64 = Base64.getEncoder();
    return "apiVersion: v1\nkind: Config\nclusters:\n- name: " + CLUSTER + "\n  cluster:\n    server: " + server
        + "\n    certificate-authority-data: " + b64.encodeToString(Pem.certificate(ca).getBytes(StandardCharsets.UTF_8))
        + "\ncontexts:\n- name: ctx\n  context: {cluster: " + CLUSTER + ", user: " + CLUSTER + "-admin}\n"
        + "current-context: ctx\nusers:\n- name: " + CLUSTER + "-admin\n  user:\n    client-certificate-data: "
        + b64.encodeToString(Pem.certificate(cert).getBytes(StandardCharsets.UTF_8))
        + "\n    client-key-data: " + b64.encodeToString(Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.UTF_8))
        + "\n";
  }

  private static List<String> names(List<Machine> machines) {
    return machines.stream().map(m -> m.getMetadata().getName()).toList();
  }

  private static <T> T await(String what, Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) return value.get();
      if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void assertControlledBy(HasMetadata object, String kind, String name, String uid) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    assertTrue(refs.stream().anyMatch(r -> kind.equals(r.getKind()) && name.equals(r.getName()) && uid.equals(r.getUid())
        && Boolean.TRUE.equals(r.getController()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion())
        && (Contract.CONTROL_PLANE_GROUP + "/v1beta2").equals(r.getApiVersion())),
        object.getKind() + " " + object.getMetadata().getName() + " controlled by " + kind + " " + name + ": " + refs);
  }

  private static void assertRef(ContractVersionedObjectReference ref, String group, String kind, String name) {
    assertEquals(group, ref.apiGroup);
    assertEquals(kind, ref.kind);
    assertEquals(name, ref.name);
  }

  private static Condition assertCondition(KubeadmControlPlane kcp, String type, String status, String reason) {
    Condition c = Conditions.get(kcp.getStatus().conditions, type)
        .orElseThrow(() -> new AssertionError("no " + type + " condition in " + kcp.getStatus().conditions));
    assertEquals(status, c.getStatus(), type + ": " + c);
    assertEquals(reason, c.getReason(), type + ": " + c);
    return c;
  }

  private static void assertDoesNotThrowSigned(X509Certificate certificate, X509Certificate ca) {
    try {
      certificate.verify(ca.getPublicKey());
    } catch (Exception e) {
      throw new AssertionError("client certificate not signed by the cluster CA", e);
    }
    assertEquals(ca.getSubjectX500Principal(), certificate.getIssuerX500Principal());
    assertNotEquals(ca.getSerialNumber(), certificate.getSerialNumber());
    assertFalse(certificate.getBasicConstraints() >= 0, "client certificate is not a CA");
  }

  private String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(kubectlBinary());
    command.add("--kubeconfig=" + kubeconfig);
    command.add("--namespace=" + namespace);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private static String kubectlBinary() throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !root.resolve("hack/tools.sh").toFile().isFile()) root = root.getParent();
    if (root == null) throw new IllegalStateException("hack/tools.sh not found");
    Process p = new ProcessBuilder("bash", root.resolve("hack/tools.sh").toString(), "--print-dir").start();
    String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(30, TimeUnit.SECONDS);
    return Path.of(dir, "kubectl").toString();
  }

  /** A port nothing listens on: the workload cluster's API server never answers. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
