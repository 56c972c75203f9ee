package io.capdjava.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `clusterctl generate cluster` renders both templates from the local repository, and the API server (with CAPI
 * core's webhooks and our CRDs) accepts what it renders.
 */
@ExtendWith(ManagementPlaneExtension.class)
class ClusterTemplatesTest {
  @TempDir static Path dir;
  static Path config;

  @BeforeAll
  static void layOutRepository() {
    config = Clusterctl.repository(dir.resolve("repo"), false);
  }

  private static List<HasMetadata> generate(ManagementPlane plane, String name, String... flavor) {
    return generateInto(plane, plane.namespace(), name, flavor);
  }

  private static List<HasMetadata> generateInto(ManagementPlane plane, String namespace, String name,
      String... flavor) {
    List<String> args = new java.util.ArrayList<>(List.of("generate", "cluster", name, "--config", config.toString(),
        "--kubeconfig", plane.kubeconfig().toString(),
        // the version, as for any provider the management cluster does not run yet
        "--infrastructure", "javadocker:" + ComponentsYamlTest.VERSION, "--kubernetes-version", "v1.34.4", "--control-plane-machine-count", "3",
        "--worker-machine-count", "2", "--target-namespace", namespace));
    args.addAll(List.of(flavor));
    String yaml = Clusterctl.clusterctl(dir.resolve("home"), args.toArray(String[]::new));
    assertFalse(yaml.contains("${"), "every variable is filled in:\n" + yaml);
    return plane.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  private static List<String> kinds(List<HasMetadata> objects) {
    return objects.stream().map(HasMetadata::getKind).sorted().toList();
  }

  @Test
  void plainTemplateRendersAndApplies(ManagementPlane plane) {
    List<HasMetadata> objects = generate(plane, "plain");
    assertEquals(List.of("Cluster", "DockerCluster", "DockerMachineTemplate", "DockerMachineTemplate",
        "KubeadmConfigTemplate", "KubeadmControlPlane", "MachineDeployment"), kinds(objects));
    HasMetadata kcp = objects.stream().filter(o -> o.getKind().equals("KubeadmControlPlane")).findFirst().orElseThrow();
    assertEquals(3, ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) kcp)
        .<Integer>get("spec", "replicas"));
    for (HasMetadata o : objects) {
      assertEquals(plane.namespace(), o.getMetadata().getNamespace());
      plane.client().resource(o).dryRun().fieldManager("packaging-test").serverSideApply();
    }
  }

  /** Each ClusterClass flavor: the kinds it renders (upstream's development flavors on the Dev* kinds). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "development | Cluster,ClusterClass,DevClusterTemplate,DevMachinePoolTemplate,DevMachineTemplate,"
          + "DevMachineTemplate,KubeadmConfigTemplate,KubeadmControlPlaneTemplate",
      "development-mp | Cluster,ClusterClass,DevClusterTemplate,DevMachinePoolTemplate,DevMachineTemplate,"
          + "DevMachineTemplate,KubeadmConfigTemplate,KubeadmControlPlaneTemplate",
      "development-docker | Cluster,ClusterClass,DockerClusterTemplate,DockerMachineTemplate,DockerMachineTemplate,"
          + "KubeadmConfigTemplate,KubeadmControlPlaneTemplate"})
  void aClusterClassFlavorBringsItsClusterClassAndApplies(String flavor, String expectedKinds, ManagementPlane plane) {
    // a namespace of its own: clusterctl adds the class only where it does not exist yet
    String namespace = plane.namespace() + "-" + flavor;
    plane.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(namespace).endMetadata().build()).createOr(existing -> existing.update());
    List<HasMetadata> objects = generateInto(plane, namespace, "topology", "--flavor", flavor);
    assertEquals(List.of(expectedKinds.split(",")), kinds(objects));
    // the class and its templates for real (the Cluster webhook looks the class up), the Cluster as a dry run
    for (HasMetadata o : objects) {
      if (o.getKind().equals("Cluster")) continue;
      plane.client().resource(o).fieldManager("packaging-test").serverSideApply();
    }
    HasMetadata cluster = objects.stream().filter(o -> o.getKind().equals("Cluster")).findFirst().orElseThrow();
    plane.client().resource(cluster).dryRun().fieldManager("packaging-test").serverSideApply();
  }

  /**
   * The development flavors are upstream's own files, unchanged: the same bytes as in the Go module
   * sigs.k8s.io/cluster-api/test that hack/tools.sh downloads.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cluster-template-development.yaml", "cluster-template-development-mp.yaml",
      "clusterclass-quick-start.yaml"})
  void theDevelopmentFlavorsAreUpstreamsFilesUnchanged(String file) throws Exception {
    Path upstream = Clusterctl.binDir().getParent()
        .resolve("cluster-api-test-src/infrastructure/docker/templates").resolve(file);
    assertEquals(Files.readString(upstream), Files.readString(
        Clusterctl.repoRoot().resolve("packaging/src/main/clusterctl").resolve(file)), file);
  }
}
