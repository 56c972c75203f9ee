package io.capdjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a user of the management plane relies on: our CRDs install and validate as upstream's do, and upstream CAPI
 * core runs beside them with its webhooks (defaulting) and controllers.
 */
@ExtendWith(ManagementPlaneExtension.class)
class ManagementPlaneTest {
  private static final List<String> OUR_CRDS =
      List.of(
          "dockerclusters.infrastructure.cluster.x-k8s.io",
          "dockerclustertemplates.infrastructure.cluster.x-k8s.io",
          "dockermachines.infrastructure.cluster.x-k8s.io",
          "dockermachinetemplates.infrastructure.cluster.x-k8s.io",
          "kubeadmconfigs.bootstrap.cluster.x-k8s.io",
          "kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io",
          "kubeadmcontrolplanes.controlplane.cluster.x-k8s.io",
          "kubeadmcontrolplanetemplates.controlplane.cluster.x-k8s.io");

  @Test
  void ourCrdsAreServedAsV1beta2WithTheContractLabel(ManagementPlane plane) {
    for (String name : OUR_CRDS) {
      CustomResourceDefinition crd = plane.client().apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertNotNull(crd, name + " is installed");
      assertEquals("v1beta2", crd.getMetadata().getLabels().get("cluster.x-k8s.io/v1beta2"), name);
      CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
      assertEquals("v1beta2", v.getName());
      assertTrue(v.getServed() && v.getStorage(), name + " serves and stores v1beta2");
      assertTrue(crd.getSpec().getNames().getCategories().contains("cluster-api"), name);
    }
  }

  @Test
  void oneValidObjectOfEveryKindIsAccepted(ManagementPlane plane) {
    for (String yaml : ValidObjects.ALL) {
      GenericKubernetesResource created = plane.client().resource(ValidObjects.parse(yaml, plane.namespace())).create();
      assertNotNull(created.getMetadata().getUid(), created.getKind() + " was stored");
    }
  }

  @Test
  void aValueOfTheWrongTypeIsRejectedNamingTheField(ManagementPlane plane) {
    String yaml =
        """
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DockerCluster
        metadata: {name: wrong-type}
        spec:
          controlPlaneEndpoint: {host: 10.0.0.1, port: "not-a-port"}
        """;
    String message = rejection(plane, yaml);
    assertTrue(message.contains("spec.controlPlaneEndpoint.port"), message);
  }

  @Test
  void failureDomainsOutOfOrderAreRejectedNamingTheField(ManagementPlane plane) {
    String yaml =
        """
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DockerCluster
        metadata: {name: unsorted-fds}
        spec:
          failureDomains:
          - {name: fd-b, controlPlane: true}
          - {name: fd-a, controlPlane: true}
        """;
    String message = rejection(plane, yaml);
    assertTrue(message.contains("spec.failureDomains"), message);
  }

  @Test
  void changingAnImmutableFieldIsRejectedNamingTheField(ManagementPlane plane) {
    GenericKubernetesResource machine =
        plane.client().resource(ValidObjects.parse(
            """
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
            kind: DockerMachine
            metadata: {name: immutable-image}
            spec: {customImage: "kindest/node:v1.34.4"}
            """, plane.namespace())).create();
    ((Map<String, Object>) machine.getAdditionalProperties().get("spec")).put("customImage", "kindest/node:v1.33.0");
    KubernetesClientException e =
        assertThrows(KubernetesClientException.class, () -> plane.client().resource(machine).update());
    assertEquals(422, e.getCode());
    assertTrue(e.getMessage().contains("spec.customImage"), e.getMessage());
  }

  /**
   * DockerMachineTemplate spec.template.spec is immutable (upstream's webhook rule, our admission policy), but the
   * topology controller's dry-run server-side applies, marked with topology.cluster.x-k8s.io/dry-run, go through: they
   * are how CAPI core decides that a ClusterClass change needs a new template. The template's metadata stays mutable.
   */
  @Test
  void aMachineTemplatesSpecIsImmutableExceptForTopologyDryRuns(ManagementPlane plane) throws Exception {
    var templates = plane.client().genericKubernetesResources("infrastructure.cluster.x-k8s.io/v1beta2",
        "DockerMachineTemplate").inNamespace(plane.namespace());
    plane.client().resource(ValidObjects.parse(
        """
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DockerMachineTemplate
        metadata: {name: immutable-template}
        spec:
          template:
            spec: {customImage: "kindest/node:v1.34.4"}
        """, plane.namespace())).create();

    // a plain edit of the spec is refused, naming the field (the policy may need a moment to be in force)
    String refusal = null;
    for (int attempt = 0; attempt < 50 && refusal == null; attempt++) {
      try {
        GenericKubernetesResource changed = withCustomImage(templates.withName("immutable-template").get(), "other:1");
        plane.client().resource(changed).update();
        plane.client().resource(withCustomImage(templates.withName("immutable-template").get(),
            "kindest/node:v1.34.4")).update();
        Thread.sleep(200);
      } catch (KubernetesClientException e) {
        assertEquals(422, e.getCode(), e.getMessage());
        refusal = e.getMessage();
      }
    }
    assertNotNull(refusal, "an edit of spec.template.spec was accepted");
    assertTrue(refusal.contains("spec.template.spec") && refusal.contains("immutable"), refusal);

    // a dry-run without the topology annotation, and the annotation without a dry-run, are refused too
    GenericKubernetesResource dryRunOnly = withCustomImage(templates.withName("immutable-template").get(), "other:1");
    assertEquals(422, assertThrows(KubernetesClientException.class,
        () -> plane.client().resource(dryRunOnly).dryRun().update()).getCode());
    GenericKubernetesResource annotatedOnly = withCustomImage(templates.withName("immutable-template").get(), "other:1");
    annotatedOnly.getMetadata().setAnnotations(Map.of("topology.cluster.x-k8s.io/dry-run", ""));
    assertEquals(422, assertThrows(KubernetesClientException.class,
        () -> plane.client().resource(annotatedOnly).update()).getCode());

    // the topology controller's request: dry-run and annotated
    GenericKubernetesResource topologyDryRun = withCustomImage(templates.withName("immutable-template").get(),
        "other:1");
    topologyDryRun.getMetadata().setAnnotations(Map.of("topology.cluster.x-k8s.io/dry-run", ""));
    GenericKubernetesResource answered = plane.client().resource(topologyDryRun).dryRun().update();
    assertEquals("other:1", customImage(answered), "the dry-run shows the change");
    assertEquals("kindest/node:v1.34.4", customImage(templates.withName("immutable-template").get()),
        "and stores nothing");

    // labels of the template itself may change
    templates.withName("immutable-template").edit(t -> {
      t.getMetadata().setLabels(Map.of("team", "a"));
      return t;
    });
    assertEquals("a", templates.withName("immutable-template").get().getMetadata().getLabels().get("team"));
  }

  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource withCustomImage(GenericKubernetesResource template, String image) {
    var spec = (Map<String, Object>) template.getAdditionalProperties().get("spec");
    var templateSpec = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    templateSpec.put("customImage", image);
    return template;
  }

  @SuppressWarnings("unchecked")
  private static String customImage(GenericKubernetesResource template) {
    var spec = (Map<String, Object>) template.getAdditionalProperties().get("spec");
    return (String) ((Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec")).get("customImage");
  }

  @Test
  void capiWebhookDefaultsAMachineDeploymentSelector(ManagementPlane plane) {
    GenericKubernetesResource md =
        plane.client().resource(ValidObjects.parse(
            """
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: MachineDeployment
            metadata: {name: md-no-selector}
            spec:
              clusterName: c1
              replicas: 1
              template:
                spec:
                  clusterName: c1
                  bootstrap: {dataSecretName: bootstrap-data}
                  infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachineTemplate, name: t}
            """, plane.namespace())).create();
    Map<String, Object> selector = (Map<String, Object>) ((Map<String, Object>) md.getAdditionalProperties().get("spec")).get("selector");
    assertEquals(
        Map.of("cluster.x-k8s.io/cluster-name", "c1", "cluster.x-k8s.io/deployment-name", "md-no-selector"),
        selector.get("matchLabels"));
  }

  @Test
  void capiCoreReconcilesACluster(ManagementPlane plane) {
    plane.client().resource(ValidObjects.parse(
        """
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: reconciled}
        spec:
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerCluster, name: reconciled}
        """, plane.namespace())).create();
    GenericKubernetesResource cluster =
        plane.client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster")
            .inNamespace(plane.namespace()).withName("reconciled")
            .waitUntilCondition(c -> conditionTypes(c).contains("InfrastructureReady"), 60, TimeUnit.SECONDS);
    // the DockerCluster does not exist yet: core says so in the condition a user reads
    Map<String, Object> infra = condition(cluster, "InfrastructureReady");
    assertEquals("False", infra.get("status"));
    assertFalse(cluster.getMetadata().getFinalizers().isEmpty(), "core added its finalizer");
  }

  private static String rejection(ManagementPlane plane, String yaml) {
    KubernetesClientException e =
        assertThrows(KubernetesClientException.class,
            () -> plane.client().resource(ValidObjects.parse(yaml, plane.namespace())).create());
    assertEquals(422, e.getCode(), e.getMessage());
    return e.getMessage();
  }

  @SuppressWarnings("unchecked")
  private static List<String> conditionTypes(GenericKubernetesResource r) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    if (status == null || status.get("conditions") == null) return List.of();
    return ((List<Map<String, Object>>) status.get("conditions")).stream().map(c -> (String) c.get("type")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(GenericKubernetesResource r, String type) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    return ((List<Map<String, Object>>) status.get("conditions")).stream()
        .filter(c -> type.equals(c.get("type"))).findFirst().orElseThrow();
  }
}
