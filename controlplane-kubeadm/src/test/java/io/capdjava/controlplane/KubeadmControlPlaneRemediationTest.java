package io.capdjava.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneSpec;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ClusterSpec;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DevClusterInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterSpec;
import io.capdjava.api.infrastructure.v1beta2.DevClusterStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineSpec;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplate;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplateResource;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplateSpec;
import io.capdjava.controlplane.machines.RemediationData;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Remediation against a real API server with upstream CAPI core: the control plane Machine is marked unhealthy the
 * way CAPI core's MachineHealthCheck does ({@code HealthCheckSucceeded=False}, {@code OwnerRemediated=False}). The
 * workload cluster never answers, so the control plane is not initialized and its first Machine is replaced without
 * further checks. A finalizer of the test holds the deleting Machine so the state in between can be looked at.
 */
@ExtendWith(ManagementPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeadmControlPlaneRemediationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String CLUSTER = "remedy";
  private static final String KCP = "remedy-control-plane";
  private static final String TEMPLATE = "remedy-control-plane-v1";
  private static final String HOLD = "test.capd-java.io/hold";

  private KubernetesClient client;
  private String namespace;
  private ProviderManager operator;

  @BeforeAll
  void startOperatorAndCluster(ManagementPlane plane) throws IOException {
    client = plane.client();
    namespace = plane.namespace();
    client.resource(template()).create();
    client.resource(kcp()).create();
    DockerCluster dockerCluster = client.resource(dockerCluster(closedPort())).create();
    dockerCluster.setStatus(new DevClusterStatus());
    dockerCluster.getStatus().initialization = new DevClusterInitializationStatus();
    dockerCluster.getStatus().initialization.provisioned = true;
    client.resource(dockerCluster).updateStatus();
    client.resource(cluster()).create();
    operator = ControlPlaneProviderMain.start(client, ManagerOptions.embedded(namespace, 10));
  }

  @AfterAll
  void stopOperator() {
    if (operator != null) operator.close();
  }

  @Test
  void anUnhealthyFirstMachineIsReplacedAndTheReplacementRemembersTheRemediation() {
    Machine first = await("the first control plane Machine", () -> controlPlaneMachines().stream().findFirst());
    String name = first.getMetadata().getName();
    editMachine(name, m -> {
      List<String> finalizers = new ArrayList<>(m.getMetadata().getFinalizers() == null ? List.of()
          : m.getMetadata().getFinalizers());
      finalizers.add(HOLD);
      m.getMetadata().setFinalizers(finalizers);
      return m;
    });

    // what CAPI core's MachineHealthCheck writes on an unhealthy Machine of a control plane
    updateStatus(name, m -> {
      setCondition(m, Conditions.of(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, Conditions.FALSE,
          "UnhealthyNode", "Condition Ready on Node is reporting status Unknown for more than 30s", m.getMetadata()
              .getGeneration()));
      setCondition(m, Conditions.of(Contract.MachineCondition.OWNER_REMEDIATED, Conditions.FALSE,
          "WaitingForRemediation", "Waiting for remediation", m.getMetadata().getGeneration()));
    });

    Machine deleting = await("the unhealthy Machine deleted with OwnerRemediated MachineDeleting", () ->
        Optional.ofNullable(get(Machine.class, name))
            .filter(m -> m.getMetadata().getDeletionTimestamp() != null)
            .filter(m -> Conditions.get(m.getStatus().conditions, Contract.MachineCondition.OWNER_REMEDIATED)
                .filter(c -> "MachineDeleting".equals(c.getReason())).isPresent()));
    Condition ownerRemediated =
        Conditions.get(deleting.getStatus().conditions, Contract.MachineCondition.OWNER_REMEDIATED).orElseThrow();
    assertEquals("False", ownerRemediated.getStatus());
    assertEquals("Machine is deleting", ownerRemediated.getMessage());
    assertTrue(Conditions.get(deleting.getStatus().conditions, Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED)
        .isPresent(), "CAPI core's HealthCheckSucceeded is left alone");

    KubeadmControlPlane remediating = await("remediation-in-progress, lastRemediation and Remediating", () ->
        Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
            .filter(k -> k.getMetadata().getAnnotations() != null
                && k.getMetadata().getAnnotations().containsKey(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION))
            .filter(k -> k.getStatus() != null && k.getStatus().lastRemediation != null)
            .filter(k -> Conditions.isTrue(k.getStatus().conditions, "Remediating")));
    RemediationData inProgress = RemediationData.parse(
        remediating.getMetadata().getAnnotations().get(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION));
    assertEquals(name, inProgress.machine());
    assertEquals(0, inProgress.retryCount());
    assertTrue(inProgress.timestamp().isPresent());
    assertEquals(name, remediating.getStatus().lastRemediation.machine);
    assertEquals(inProgress.timestamp().get().toString(), remediating.getStatus().lastRemediation.time);
    assertEquals(0, remediating.getStatus().lastRemediation.retryCount);
    Condition remediatingCondition = Conditions.get(remediating.getStatus().conditions, "Remediating").orElseThrow();
    assertEquals("Remediating", remediatingCondition.getReason());
    assertEquals("* Machine " + name + ": Machine is deleting", remediatingCondition.getMessage());
    assertEquals(1, controlPlaneMachines().size(), "no replacement while the remediated Machine still exists");

    editMachine(name, m -> {
      m.getMetadata().getFinalizers().remove(HOLD);
      return m;
    });
    Machine replacement = await("the replacement Machine", () -> controlPlaneMachines().stream()
        .filter(m -> !m.getMetadata().getName().equals(name)).findFirst());
    String remediationFor = replacement.getMetadata().getAnnotations().get(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION);
    assertNotNull(remediationFor, "the replacement carries remediation-for: " + replacement.getMetadata().getAnnotations());
    assertEquals(inProgress, RemediationData.parse(remediationFor));

    KubeadmControlPlane done = await("remediation-in-progress removed from the KCP", () ->
        Optional.ofNullable(get(KubeadmControlPlane.class, KCP))
            .filter(k -> k.getMetadata().getAnnotations() == null
                || !k.getMetadata().getAnnotations().containsKey(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION))
            .filter(k -> get(Machine.class, name) == null)
            .filter(k -> !Conditions.isTrue(k.getStatus().conditions, "Remediating")));
    assertEquals(name, done.getStatus().lastRemediation.machine, "the replacement remembers the remediation");
    assertEquals(1, controlPlaneMachines().size());

    // a Machine healthy again loses the OwnerRemediated KCP could have left on it
    String replacementName = replacement.getMetadata().getName();
    updateStatus(replacementName, m -> {
      setCondition(m, Conditions.of(Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED, Conditions.TRUE,
          "Succeeded", "", m.getMetadata().getGeneration()));
      setCondition(m, Conditions.of(Contract.MachineCondition.OWNER_REMEDIATED, Conditions.FALSE,
          "RemediationDeferred", "left from an earlier refusal", m.getMetadata().getGeneration()));
    });
    Machine recovered = await("OwnerRemediated removed from the healthy Machine", () ->
        Optional.ofNullable(get(Machine.class, replacementName))
            .filter(m -> Conditions.get(m.getStatus().conditions, Contract.MachineCondition.OWNER_REMEDIATED).isEmpty()));
    assertTrue(Conditions.isTrue(recovered.getStatus().conditions, Contract.MachineCondition.HEALTH_CHECK_SUCCEEDED));
    assertFalse(recovered.getMetadata().getDeletionTimestamp() != null, "a healthy Machine stays");
  }

  // ---- objects

  private DockerMachineTemplate template() {
    DockerMachineTemplate t = new DockerMachineTemplate();
    t.setMetadata(new ObjectMetaBuilder().withName(TEMPLATE).withNamespace(namespace).build());
    t.setSpec(new DockerMachineTemplateSpec());
    t.getSpec().template = new DockerMachineTemplateResource();
    t.getSpec().template.spec = new DockerMachineSpec();
    return t;
  }

  private KubeadmControlPlane kcp() {
    KubeadmControlPlane kcp = new KubeadmControlPlane();
    kcp.setMetadata(new ObjectMetaBuilder().withName(KCP).withNamespace(namespace).build());
    KubeadmControlPlaneSpec spec = new KubeadmControlPlaneSpec();
    spec.replicas = 1;
    spec.version = "v1.34.2";
    spec.machineTemplate = new KubeadmControlPlaneMachineTemplate();
    spec.machineTemplate.spec = new KubeadmControlPlaneMachineTemplateSpec();
    spec.machineTemplate.spec.infrastructureRef =
        new ContractVersionedObjectReference(Contract.INFRASTRUCTURE_GROUP, "DockerMachineTemplate", TEMPLATE);
    spec.kubeadmConfigSpec = new KubeadmConfigSpec();
    spec.kubeadmConfigSpec.clusterConfiguration = new ClusterConfiguration();
    spec.kubeadmConfigSpec.clusterConfiguration.certificatesDir = "/etc/kubernetes/pki";
    kcp.setSpec(spec);
    return kcp;
  }

  private DockerCluster dockerCluster(int port) {
    DockerCluster dc = new DockerCluster();
    dc.setMetadata(new ObjectMetaBuilder().withName(CLUSTER).withNamespace(namespace).build());
    dc.setSpec(new DockerClusterSpec());
    dc.getSpec().controlPlaneEndpoint = new APIEndpoint();
    dc.getSpec().controlPlaneEndpoint.host = "127.0.0.1";
    dc.getSpec().controlPlaneEndpoint.port = port;
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

  // ---- helpers

  private List<Machine> controlPlaneMachines() {
    return client.resources(Machine.class).inNamespace(namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, CLUSTER).withLabel(Contract.Label.CONTROL_PLANE).list().getItems();
  }

  private <T extends HasMetadata> T get(Class<T> kind, String name) {
    return client.resources(kind).inNamespace(namespace).withName(name).get();
  }

  /** Writes the Machine's status with its resourceVersion, again on conflicts (CAPI core and KCP write it too). */
  private void updateStatus(String name, Consumer<Machine> change) {
    for (int attempt = 0; ; attempt++) {
      Machine m = get(Machine.class, name);
      if (m.getStatus() == null) m.setStatus(new MachineStatus());
      change.accept(m);
      try {
        client.resource(m).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) throw e;
      }
    }
  }

  private static void setCondition(Machine m, Condition c) {
    List<Condition> conditions = m.getStatus().conditions == null ? new ArrayList<>() : m.getStatus().conditions;
    m.getStatus().conditions = Conditions.set(conditions, c);
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

  /** A port nothing listens on: the workload cluster never answers, so the control plane is never initialized. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** CAPI core and KCP write the Machine too: an edit that meets a newer version is made again on it. */
  private void editMachine(String name, java.util.function.UnaryOperator<Machine> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(Machine.class).inNamespace(namespace).withName(name).edit(change);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) throw e;
      }
    }
  }
}
