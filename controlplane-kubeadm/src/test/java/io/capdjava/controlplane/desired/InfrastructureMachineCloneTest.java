package io.capdjava.controlplane.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestGenerateTemplate} / {@code ComputeDesiredInfraMachine}. */
class InfrastructureMachineCloneTest {
  static final GenericKubernetesResource TEMPLATE = Serialization.unmarshal("""
      apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
      kind: DockerMachineTemplate
      metadata:
        name: tpl
        namespace: ns
        uid: template-uid
        resourceVersion: "42"
        labels: {on-template: "yes"}
      spec:
        template:
          metadata:
            labels: {from-template: "yes"}
            annotations: {template-note: "hello"}
          spec:
            customImage: kindest/node:v1.34.2
            extraMounts: [{containerPath: /var/lib, hostPath: /tmp}]
      """, GenericKubernetesResource.class);

  @Test
  void cloneTakesTheTemplatesSpecAndMetadataUnderTheMachineName() {
    GenericKubernetesResource clone =
        InfrastructureMachineClone.build(TEMPLATE, TestControlPlanes.kcp("v1.34.2"), "c1", "kcp-abcde");
    assertEquals("infrastructure.cluster.x-k8s.io/v1beta2", clone.getApiVersion());
    assertEquals("DockerMachine", clone.getKind());
    assertEquals("kcp-abcde", clone.getMetadata().getName());
    assertEquals("ns", clone.getMetadata().getNamespace());
    assertNull(clone.getMetadata().getResourceVersion());
    assertNull(clone.getMetadata().getUid());
    assertEquals(Map.of("customImage", "kindest/node:v1.34.2",
        "extraMounts", java.util.List.of(Map.of("containerPath", "/var/lib", "hostPath", "/tmp"))),
        clone.getAdditionalProperties().get("spec"));
    Map<String, String> labels = clone.getMetadata().getLabels();
    assertEquals("yes", labels.get("from-template"));
    assertNull(labels.get("on-template"), "the template object's own labels are not copied");
    assertEquals("c1", labels.get(Contract.Label.CLUSTER_NAME));
    assertEquals("", labels.get(Contract.Label.CONTROL_PLANE));
    assertEquals("blue", labels.get("team"));
    Map<String, String> annotations = clone.getMetadata().getAnnotations();
    assertEquals("tpl", annotations.get(Contract.Annotation.CLONED_FROM_NAME));
    assertEquals("DockerMachineTemplate.infrastructure.cluster.x-k8s.io",
        annotations.get(Contract.Annotation.CLONED_FROM_GROUP_KIND));
    assertEquals("hello", annotations.get("template-note"));
    assertEquals("from template", annotations.get("note"));
    OwnerReference owner = clone.getMetadata().getOwnerReferences().get(0);
    assertEquals("KubeadmControlPlane", owner.getKind());
    assertNull(owner.getController());
  }

  @Test
  void groupKindIsFormattedLikeGo() {
    assertEquals("DockerMachineTemplate.infrastructure.cluster.x-k8s.io",
        InfrastructureMachineClone.groupKind("DockerMachineTemplate", "infrastructure.cluster.x-k8s.io"));
    assertEquals("Pod", InfrastructureMachineClone.groupKind("Pod", ""));
    assertEquals("DockerMachine", InfrastructureMachineClone.kindOf("DockerMachineTemplate"));
  }
}
