package io.capdjava.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    List<String> args = new java.util.ArrayList<>(List.of("generate", "cluster", name, "--config", config.toString(),
        "--kubeconfig", plane.kubeconfig().toString(),
        // the version, as for any provider the management cluster does not run yet
        "--infrastructure", "javadocker:" + ComponentsYamlTest.VERSION, "--kubernetes-version", "v1.34.4", "--control-plane-machine-count", "3",
        "--worker-machine-count", "2", "--target-namespace", plane.namespace()));
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

  @Test
  void developmentFlavorBringsItsClusterClassAndApplies(ManagementPlane plane) {
    List<HasMetadata> objects = generate(plane, "topology", "--flavor", "development");
    assertEquals(List.of("Cluster", "ClusterClass", "DockerClusterTemplate", "DockerMachineTemplate",
        "DockerMachineTemplate", "KubeadmConfigTemplate", "KubeadmControlPlaneTemplate"), kinds(objects));
    // the class and its templates for real (the Cluster webhook looks the class up), the Cluster as a dry run
    for (HasMetadata o : objects) {
      if (o.getKind().equals("Cluster")) continue;
      plane.client().resource(o).fieldManager("packaging-test").serverSideApply();
    }
    HasMetadata cluster = objects.stream().filter(o -> o.getKind().equals("Cluster")).findFirst().orElseThrow();
    plane.client().resource(cluster).dryRun().fieldManager("packaging-test").serverSideApply();
  }
}
