package io.capdjava.controlplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinControlPlane;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineNodeReference;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Upstream {@code updateNodeCondition} and {@code DefaultTaintIsMissing}. */
class NodeKubeadmLabelsAndTaintsTest {
  static Machine machine() {
    Machine m = new Machine();
    m.setMetadata(new ObjectMetaBuilder().withName("m1").build());
    m.setSpec(new MachineSpec());
    m.setStatus(new MachineStatus());
    m.getStatus().nodeRef = new MachineNodeReference();
    m.getStatus().nodeRef.name = "node-1";
    return m;
  }

  static Node node(boolean label, boolean taint) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().withNewSpec().endSpec();
    if (label) b.editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "").endMetadata();
    if (taint) {
      b.editSpec().addToTaints(new TaintBuilder().withKey("node-role.kubernetes.io/control-plane")
          .withEffect("NoSchedule").build()).endSpec();
    }
    return b.build();
  }

  static KubeadmConfig initConfig(List<io.fabric8.kubernetes.api.model.Taint> taints) {
    KubeadmConfig c = new KubeadmConfig();
    c.setSpec(new KubeadmConfigSpec());
    c.getSpec().initConfiguration = new InitConfiguration();
    c.getSpec().initConfiguration.nodeRegistration = new NodeRegistrationOptions();
    c.getSpec().initConfiguration.nodeRegistration.taints = taints;
    return c;
  }

  @Test
  void aNodeWithKubeadmsLabelAndTaintIsSet() {
    assertEquals(new StaticPodHealth.Verdict("True", "Set", ""),
        NodeKubeadmLabelsAndTaints.of(machine(), node(true, true), Optional.of(initConfig(null))));
  }

  @Test
  void missingLabelAndExpectedTaintAreNamed() {
    assertEquals(new StaticPodHealth.Verdict("False", "NotSet",
            "Node node-1 does not have the node-role.kubernetes.io/control-plane label and the"
                + " node-role.kubernetes.io/control-plane:NoSchedule taint"),
        NodeKubeadmLabelsAndTaints.of(machine(), node(false, false), Optional.of(initConfig(null))));
    assertEquals(new StaticPodHealth.Verdict("False", "NotSet",
            "Node node-1 does not have the node-role.kubernetes.io/control-plane:NoSchedule taint"),
        NodeKubeadmLabelsAndTaints.of(machine(), node(true, false), Optional.of(initConfig(null))));
  }

  @Test
  void theTaintIsExpectedOnlyWhenKubeadmAddsItOrTheMachineAsksForIt() {
    // taints: [] in the node registration: kubeadm adds none, so none is missing
    assertEquals("True", NodeKubeadmLabelsAndTaints.of(machine(), node(true, false), Optional.of(initConfig(List.of())))
        .status());
    // a join configuration is read for joining Machines
    KubeadmConfig join = new KubeadmConfig();
    join.setSpec(new KubeadmConfigSpec());
    join.getSpec().joinConfiguration = new JoinConfiguration();
    join.getSpec().joinConfiguration.controlPlane = new JoinControlPlane();
    assertEquals("False", NodeKubeadmLabelsAndTaints.of(machine(), node(true, false), Optional.of(join)).status());
    // the Machine's own taints name it
    Machine tainted = machine();
    tainted.getSpec().setUnknownField("taints", List.of(Map.of("key", "node-role.kubernetes.io/control-plane",
        "effect", "NoSchedule", "propagation", "Always")));
    assertEquals("False", NodeKubeadmLabelsAndTaints.of(tainted, node(true, false), Optional.of(initConfig(List.of())))
        .status());
    // without a KubeadmConfig there is nothing to expect
    assertEquals("True", NodeKubeadmLabelsAndTaints.of(machine(), node(true, false), Optional.empty()).status());
  }
}
