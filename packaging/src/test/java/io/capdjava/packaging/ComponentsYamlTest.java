package io.capdjava.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each generated components YAML, with its variables filled in by clusterctl itself (`clusterctl generate yaml`),
 * has clusterctl's shape and is accepted by the real API server (server-side dry run of every object).
 */
@ExtendWith(ManagementPlaneExtension.class)
class ComponentsYamlTest {
  static final Path REPO = Path.of(System.getProperty("clusterctl.repo", "target/clusterctl-repo"));
  static final String VERSION = "v0.1.0";

  static List<ProviderPackage> providers() {
    return Providers.all();
  }

  static Path componentsFile(ProviderPackage p) {
    return REPO.resolve(p.label()).resolve(VERSION).resolve(p.componentsFile());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void componentsHaveClusterctlShapeAndPassServerSideDryRun(ProviderPackage p, ManagementPlane plane,
      @TempDir Path home) throws Exception {
    assertTrue(Files.isRegularFile(componentsFile(p)), "the build wrote " + componentsFile(p));
    String processed = Clusterctl.clusterctl(home, "generate", "yaml", "--from", componentsFile(p).toString());
    List<HasMetadata> objects = plane.client()
        .load(new ByteArrayInputStream(processed.getBytes(StandardCharsets.UTF_8))).items();

    // clusterctl: exactly one Namespace, every namespaced object in it, the provider label on everything
    assertEquals(List.of(p.namespace()), objects.stream().filter(o -> o.getKind().equals("Namespace"))
        .map(o -> o.getMetadata().getName()).toList());
    for (HasMetadata o : objects) {
      assertEquals(p.label(), o.getMetadata().getLabels().get(ComponentsYaml.PROVIDER_LABEL),
          o.getKind() + " " + o.getMetadata().getName() + " carries the provider label");
      if (!Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
          "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding").contains(o.getKind())) {
        assertEquals(p.namespace(), o.getMetadata().getNamespace(), o.getKind() + " lives in the provider namespace");
      }
    }
    // the CRDs of the provider's group, exactly as the crds module generates them, with the contract label
    Set<String> expectedCrds = PackagedCrds.ofGroup(p.crdGroup()).stream().map(c -> c.getMetadata().getName())
        .collect(Collectors.toSet());
    List<CustomResourceDefinition> crds = objects.stream().filter(CustomResourceDefinition.class::isInstance)
        .map(CustomResourceDefinition.class::cast).toList();
    assertEquals(expectedCrds, crds.stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet()));
    crds.forEach(c -> assertEquals("v1beta2", c.getMetadata().getLabels().get("cluster.x-k8s.io/v1beta2")));
    // the admission policies guarding the provider's kinds, each with its binding
    List<String> policies = objects.stream().filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
        .map(o -> o.getKind() + " " + o.getMetadata().getName()).sorted().toList();
    assertEquals(p.crdGroup().startsWith("infrastructure") ? List.of(
        "ValidatingAdmissionPolicy capd-java-devmachinetemplate-immutable",
        "ValidatingAdmissionPolicy capd-java-dockermachinetemplate-immutable",
        "ValidatingAdmissionPolicyBinding capd-java-devmachinetemplate-immutable",
        "ValidatingAdmissionPolicyBinding capd-java-dockermachinetemplate-immutable") : List.of(), policies);
    // one Deployment, its container named manager, running our image, under the ServiceAccount the RBAC binds
    List<Deployment> deployments = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .toList();
    assertEquals(1, deployments.size());
    Container manager = deployments.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("manager", manager.getName());
    assertEquals("docker.io/capd-java/" + p.module() + ":" + VERSION, manager.getImage());
    String serviceAccount = deployments.get(0).getSpec().getTemplate().getSpec().getServiceAccountName();
    ClusterRoleBinding binding = objects.stream().filter(ClusterRoleBinding.class::isInstance)
        .map(ClusterRoleBinding.class::cast).findFirst().orElseThrow();
    assertEquals(serviceAccount, binding.getSubjects().get(0).getName());
    boolean mountsSocket = deployments.get(0).getSpec().getTemplate().getSpec().getVolumes().stream()
        .anyMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().equals("/var/run/docker.sock"));
    assertEquals(p.dockerSocket(), mountsSocket, "only the infrastructure provider mounts the Docker socket");
    // a cluster enforcing the baseline Pod Security standard (upstream's templates) must still run that pod, as
    // upstream CAPD's namespace allows
    Map<String, String> namespaceLabels = objects.stream().filter(o -> o.getKind().equals("Namespace")).findFirst()
        .orElseThrow().getMetadata().getLabels();
    for (String mode : List.of("enforce", "warn", "audit")) {
      assertEquals(p.dockerSocket() ? "privileged" : null, namespaceLabels.get("pod-security.kubernetes.io/" + mode),
          mode);
    }

    // the API server accepts every object; namespaced ones are tried in this test's namespace (clusterctl may move
    // them to another namespace the same way with --target-namespace)
    for (HasMetadata o : objects) {
      if (o.getMetadata().getNamespace() != null) o.getMetadata().setNamespace(plane.namespace());
      if (o instanceof ClusterRoleBinding b) b.getSubjects().forEach(s -> s.setNamespace(plane.namespace()));
      plane.client().resource(o).dryRun().fieldManager("packaging-test").forceConflicts().serverSideApply();
    }
  }
}
