package io.capdjava.controlplane.machines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneRolloutBeforeSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneRolloutSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneSpec;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestUpToDate} (same defaults, same messages) and {@code TestMatchesInfraMachine}. */
class UpToDateCheckTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final String TEMPLATE_GROUP_KIND = "DockerMachineTemplate.infrastructure.cluster.x-k8s.io";

  /** Rollout if certificates expire within 60 days, and 10 days from now. */
  static KubeadmControlPlane kcp() {
    KubeadmControlPlane kcp = new KubeadmControlPlane();
    kcp.setMetadata(new ObjectMetaBuilder().withName("kcp").withNamespace("default").withUid("kcp-uid").build());
    KubeadmControlPlaneSpec spec = new KubeadmControlPlaneSpec();
    spec.version = "v1.30.0";
    spec.machineTemplate = new KubeadmControlPlaneMachineTemplate();
    spec.machineTemplate.spec = new KubeadmControlPlaneMachineTemplateSpec();
    spec.machineTemplate.spec.infrastructureRef = new ContractVersionedObjectReference(
        Contract.INFRASTRUCTURE_GROUP, "DockerMachineTemplate", "infra-machine-template1");
    spec.kubeadmConfigSpec = new KubeadmConfigSpec();
    spec.kubeadmConfigSpec.clusterConfiguration = new ClusterConfiguration();
    spec.kubeadmConfigSpec.clusterConfiguration.certificatesDir = "foo";
    spec.rollout = new KubeadmControlPlaneRolloutSpec();
    spec.rollout.before = new KubeadmControlPlaneRolloutBeforeSpec();
    spec.rollout.before.certificatesExpiryDays = 60;
    spec.rollout.after = NOW.plus(Duration.ofDays(10)).toString();
    kcp.setSpec(spec);
    return kcp;
  }

  /** Created two days ago, certificates expiring in 100 days. */
  static Machine machine() {
    Machine m = TestMachines.machine("machine", TestMachines.created(NOW.minus(Duration.ofDays(2))));
    m.getStatus().setUnknownField("certificatesExpiryDate", NOW.plus(Duration.ofDays(100)).toString());
    return m;
  }

  static GenericKubernetesResource infraMachine(String clonedFrom) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("infrastructure.cluster.x-k8s.io/v1beta2");
    r.setKind("DockerMachine");
    r.setMetadata(new ObjectMetaBuilder().withName("machine").withNamespace("default")
        .withAnnotations(Map.of(Contract.Annotation.CLONED_FROM_NAME, clonedFrom,
            Contract.Annotation.CLONED_FROM_GROUP_KIND, TEMPLATE_GROUP_KIND)).build());
    return r;
  }

  /** The first control plane Machine's config: certificatesDir foo, an (empty) init configuration. */
  static KubeadmConfig initConfig() {
    KubeadmConfig c = new KubeadmConfig();
    c.setMetadata(new ObjectMetaBuilder().withName("machine").build());
    c.setSpec(new KubeadmConfigSpec());
    c.getSpec().clusterConfiguration = new ClusterConfiguration();
    c.getSpec().clusterConfiguration.certificatesDir = "foo";
    c.getSpec().initConfiguration = new InitConfiguration();
    return c;
  }

  static UpToDateCheck.Result check(KubeadmControlPlane kcp, Machine machine) {
    return UpToDateCheck.check(machine, kcp, NOW, Optional.of(infraMachine("infra-machine-template1")),
        Optional.of(initConfig()));
  }

  @Test
  void machineUpToDate() {
    UpToDateCheck.Result r = check(kcp(), machine());
    assertTrue(r.upToDate());
    assertEquals(List.of(), r.logMessages());
    assertEquals(List.of(), r.conditionMessages());
  }

  /** Ours (see DesiredKubeadmConfig.withDefaultedFeatureGates): an adopted Machine is not rolled out for a default. */
  @Test
  void aKubeadmConfigWithoutTheDefaultedKubeletLocalModeGateIsUpToDateUnlessTheKcpSetsIt() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().version = "v1.34.4";
    Machine machine = machine();
    machine.getSpec().version = "v1.34.4";
    assertTrue(check(kcp, machine).upToDate(), "the gate is only KCP's default: " + check(kcp, machine).logMessages());

    kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.featureGates = new java.util.HashMap<>(
        Map.of("ControlPlaneKubeletLocalMode", true));
    UpToDateCheck.Result r = check(kcp, machine);
    assertFalse(r.upToDate(), "set in the KCP's spec, it is asked for");
    assertEquals(List.of("Machine KubeadmConfig is outdated: diff: clusterConfiguration.featureGates"), r.logMessages());
  }

  @Test
  void certificatesExpiringSoon() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().rollout.before.certificatesExpiryDays = 150;
    UpToDateCheck.Result r = check(kcp, machine());
    assertFalse(r.upToDate());
    assertEquals(List.of("certificates will expire soon, rolloutBefore expired"), r.logMessages());
    assertEquals(List.of("Certificates will expire soon"), r.conditionMessages());
  }

  @Test
  void rolloutAfterExpired() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().rollout.after = NOW.minus(Duration.ofDays(1)).toString();
    UpToDateCheck.Result r = check(kcp, machine());
    assertFalse(r.upToDate());
    assertEquals(List.of("rolloutAfter expired"), r.logMessages());
    assertEquals(List.of("KubeadmControlPlane spec.rolloutAfter expired"), r.conditionMessages());
  }

  @Test
  void rolloutAfterDoesNotTouchMachinesCreatedAfterIt() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().rollout.after = NOW.minus(Duration.ofDays(3)).toString();
    assertTrue(check(kcp, machine()).upToDate(), "the Machine (2 days old) was created after rollout.after");
  }

  @Test
  void kubernetesVersionDoesNotMatch() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().version = "v1.30.2";
    UpToDateCheck.Result r = check(kcp, machine());
    assertFalse(r.upToDate());
    assertEquals(List.of("Machine version \"v1.30.0\" is not equal to KCP version \"v1.30.2\""), r.logMessages());
    assertEquals(List.of("Version v1.30.0, v1.30.2 required"), r.conditionMessages());
  }

  @Test
  void kubeadmConfigNotUpToDate() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.certificatesDir = "bar";
    UpToDateCheck.Result r = check(kcp, machine());
    assertFalse(r.upToDate());
    assertEquals(List.of("Machine KubeadmConfig is outdated: diff: clusterConfiguration.certificatesDir"), r.logMessages());
    assertEquals(List.of("KubeadmConfig is not up-to-date"), r.conditionMessages());
  }

  @Test
  void infrastructureTemplateRotated() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().machineTemplate.spec.infrastructureRef.name = "infra-machine-template2";
    UpToDateCheck.Result r = check(kcp, machine());
    assertFalse(r.upToDate());
    assertEquals(List.of("Infrastructure template on KCP rotated from " + TEMPLATE_GROUP_KIND
        + " infra-machine-template1 to " + TEMPLATE_GROUP_KIND + " infra-machine-template2"), r.logMessages());
    assertEquals(List.of("DockerMachine is not up-to-date"), r.conditionMessages());
  }

  @Test
  void missingInfraMachineKubeadmConfigOrClonedFromAnnotationsAreNoDifference() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().machineTemplate.spec.infrastructureRef.name = "infra-machine-template2";
    kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.certificatesDir = "bar";
    assertTrue(UpToDateCheck.check(machine(), kcp, NOW, Optional.empty(), Optional.empty()).upToDate());
    GenericKubernetesResource adopted = infraMachine("x");
    adopted.getMetadata().setAnnotations(Map.of());
    assertTrue(UpToDateCheck.check(machine(), kcp, NOW, Optional.of(adopted), Optional.empty()).upToDate(),
        "no cloned-from annotations (older or adopted Machines) matches");
  }

  @Test
  void allReasonsAreReportedInUpstreamOrder() {
    KubeadmControlPlane kcp = kcp();
    kcp.getSpec().rollout.before.certificatesExpiryDays = 150;
    kcp.getSpec().rollout.after = NOW.minus(Duration.ofDays(1)).toString();
    kcp.getSpec().version = "v1.30.2";
    kcp.getSpec().kubeadmConfigSpec.clusterConfiguration.certificatesDir = "bar";
    kcp.getSpec().machineTemplate.spec.infrastructureRef.name = "infra-machine-template2";
    assertEquals(List.of("Certificates will expire soon", "KubeadmControlPlane spec.rolloutAfter expired",
        "Version v1.30.0, v1.30.2 required", "KubeadmConfig is not up-to-date", "DockerMachine is not up-to-date"),
        check(kcp, machine()).conditionMessages());
  }
}
