package io.capdjava.crds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The eight CRDs carry what CAPI core and clusterctl look for. */
class GeneratedCrdsTest {
  private final Map<String, String> files = CrdWriter.generate();

  private CustomResourceDefinition crd(String name) {
    return Serialization.unmarshal(files.get(name + ".yaml"), CustomResourceDefinition.class);
  }

  @Test
  void oneFilePerServedKindNamedPluralDotGroup() {
    assertEquals(
        Set.of(
            "devclusters.infrastructure.cluster.x-k8s.io.yaml",
            "devclustertemplates.infrastructure.cluster.x-k8s.io.yaml",
            "devmachines.infrastructure.cluster.x-k8s.io.yaml",
            "devmachinepools.infrastructure.cluster.x-k8s.io.yaml",
            "devmachinepooltemplates.infrastructure.cluster.x-k8s.io.yaml",
            "devmachinetemplates.infrastructure.cluster.x-k8s.io.yaml",
            "dockerclusters.infrastructure.cluster.x-k8s.io.yaml",
            "dockerclustertemplates.infrastructure.cluster.x-k8s.io.yaml",
            "dockermachines.infrastructure.cluster.x-k8s.io.yaml",
            "dockermachinepools.infrastructure.cluster.x-k8s.io.yaml",
            "dockermachinepooltemplates.infrastructure.cluster.x-k8s.io.yaml",
            "dockermachinetemplates.infrastructure.cluster.x-k8s.io.yaml",
            "kubeadmconfigs.bootstrap.cluster.x-k8s.io.yaml",
            "kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io.yaml",
            "kubeadmcontrolplanes.controlplane.cluster.x-k8s.io.yaml",
            "kubeadmcontrolplanetemplates.controlplane.cluster.x-k8s.io.yaml"),
        files.keySet());
  }

  @Test
  void everyCrdServesAndStoresV1beta2UnderTheContractLabel() {
    for (String file : files.keySet()) {
      CustomResourceDefinition crd = crd(file.replaceFirst("\\.yaml$", ""));
      assertEquals("v1beta2", crd.getMetadata().getLabels().get("cluster.x-k8s.io/v1beta2"), file);
      assertEquals(1, crd.getSpec().getVersions().size(), file);
      CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
      assertEquals("v1beta2", v.getName());
      assertTrue(v.getServed() && v.getStorage(), file);
      assertEquals(List.of("cluster-api"), crd.getSpec().getNames().getCategories(), file);
      assertEquals("Namespaced", crd.getSpec().getScope(), file);
    }
  }

  @Test
  void kindsWithStatusHaveTheStatusSubresourceAndTemplatesWithoutStatusDoNot() {
    for (String name : List.of("devclusters.infrastructure.cluster.x-k8s.io",
        "devmachines.infrastructure.cluster.x-k8s.io", "devmachinetemplates.infrastructure.cluster.x-k8s.io",
        "devmachinepools.infrastructure.cluster.x-k8s.io", "dockermachinepools.infrastructure.cluster.x-k8s.io",
        "dockerclusters.infrastructure.cluster.x-k8s.io",
        "dockermachines.infrastructure.cluster.x-k8s.io", "dockermachinetemplates.infrastructure.cluster.x-k8s.io",
        "kubeadmconfigs.bootstrap.cluster.x-k8s.io", "kubeadmcontrolplanes.controlplane.cluster.x-k8s.io")) {
      assertNotNull(crd(name).getSpec().getVersions().get(0).getSubresources().getStatus(), name);
    }
    CustomResourceDefinitionVersion template =
        crd("kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io").getSpec().getVersions().get(0);
    assertNull(template.getSubresources());
    assertNull(template.getSchema().getOpenAPIV3Schema().getProperties().get("status"));
  }

  @Test
  void kubeadmControlPlaneScalesLikeUpstream() {
    CustomResourceDefinitionVersion v = crd("kubeadmcontrolplanes.controlplane.cluster.x-k8s.io").getSpec().getVersions().get(0);
    assertEquals(".spec.replicas", v.getSubresources().getScale().getSpecReplicasPath());
    assertEquals(".status.replicas", v.getSubresources().getScale().getStatusReplicasPath());
    assertEquals(".status.selector", v.getSubresources().getScale().getLabelSelectorPath());
    assertEquals(List.of("kcp"), crd("kubeadmcontrolplanes.controlplane.cluster.x-k8s.io").getSpec().getNames().getShortNames());
  }

  @Test
  void conditionsMergeByTypeAndFailureDomainsByName() {
    var status = crd("dockerclusters.infrastructure.cluster.x-k8s.io").getSpec().getVersions().get(0).getSchema()
        .getOpenAPIV3Schema().getProperties().get("status");
    var conditions = status.getProperties().get("conditions");
    assertEquals("map", conditions.getXKubernetesListType());
    assertEquals(List.of("type"), conditions.getXKubernetesListMapKeys());
    assertTrue(conditions.getItems().getSchema().getRequired().contains("type"));
    var fds = status.getProperties().get("failureDomains");
    assertEquals("map", fds.getXKubernetesListType());
    assertEquals(List.of("name"), fds.getXKubernetesListMapKeys());
  }

  @Test
  void dockerClusterPrinterColumnsAreUpstreams() {
    var columns = crd("dockerclusters.infrastructure.cluster.x-k8s.io").getSpec().getVersions().get(0)
        .getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList();
    assertEquals("Cluster", columns.get(0));
    assertTrue(columns.contains("Age"));
  }
}
