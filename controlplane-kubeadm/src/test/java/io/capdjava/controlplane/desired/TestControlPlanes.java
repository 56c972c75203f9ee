package io.capdjava.controlplane.desired;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneSpec;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/** A KubeadmControlPlane as a user writes one, for the desired-state tests. */
final class TestControlPlanes {
  private TestControlPlanes() {}

  static KubeadmControlPlane kcp(String version) {
    KubeadmControlPlane kcp = new KubeadmControlPlane();
    kcp.setMetadata(new ObjectMetaBuilder().withName("kcp").withNamespace("ns").withUid("kcp-uid").build());
    KubeadmControlPlaneSpec spec = new KubeadmControlPlaneSpec();
    spec.replicas = 3;
    spec.version = version;
    spec.machineTemplate = new KubeadmControlPlaneMachineTemplate();
    spec.machineTemplate.metadata = new ObjectMeta();
    spec.machineTemplate.metadata.labels = Map.of("team", "blue", Contract.Label.CLUSTER_NAME, "overridden");
    spec.machineTemplate.metadata.annotations = Map.of("note", "from template");
    spec.machineTemplate.spec = new KubeadmControlPlaneMachineTemplateSpec();
    spec.machineTemplate.spec.infrastructureRef =
        new ContractVersionedObjectReference(Contract.INFRASTRUCTURE_GROUP, "DockerMachineTemplate", "tpl");
    spec.kubeadmConfigSpec = new KubeadmConfigSpec();
    spec.kubeadmConfigSpec.clusterConfiguration = new ClusterConfiguration();
    spec.kubeadmConfigSpec.clusterConfiguration.certificatesDir = "/etc/kubernetes/pki";
    spec.kubeadmConfigSpec.initConfiguration = new InitConfiguration();
    spec.kubeadmConfigSpec.initConfiguration.nodeRegistration = new NodeRegistrationOptions();
    spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.name = "init";
    spec.kubeadmConfigSpec.joinConfiguration = new JoinConfiguration();
    spec.kubeadmConfigSpec.joinConfiguration.nodeRegistration = new NodeRegistrationOptions();
    spec.kubeadmConfigSpec.joinConfiguration.nodeRegistration.name = "join";
    kcp.setSpec(spec);
    return kcp;
  }
}
