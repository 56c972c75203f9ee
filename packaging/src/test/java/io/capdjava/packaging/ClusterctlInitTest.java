package io.capdjava.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `clusterctl init --infrastructure javadocker --bootstrap javakubeadm --control-plane javakubeadm` from the offline
 * local repository installs core and our providers into a management plane of its own (the shared one already has
 * our CRDs, installed without clusterctl). The plane's API server has no cert-manager: the offline repository's
 * stand-in must satisfy clusterctl.
 */
class ClusterctlInitTest {
  static Path dir;
  static Path kubeconfig;
  static KubernetesClient client;

  @BeforeAll
  static void freshPlane() throws Exception {
    dir = Path.of("target").toAbsolutePath().resolve("clusterctl-init-" + ProcessHandle.current().pid());
    Files.createDirectories(dir);
    String out = Clusterctl.run(Map.of("TESTENV_DIR", dir.resolve("plane").toString()),
        "bash", Clusterctl.repoRoot().resolve("hack/testenv.sh").toString(), "up");
    kubeconfig = Path.of(out.lines().filter(l -> l.startsWith("KUBECONFIG=")).reduce((a, b) -> b).orElseThrow()
        .substring("KUBECONFIG=".length()));
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    // hack/testenv.sh installs core's CRDs and webhooks pointing at its local manager; a new management cluster has
    // neither, and clusterctl cannot patch those conversion settings into its own
    client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName("capi-mutating-webhook-configuration").delete();
    client.admissionRegistration().v1().validatingWebhookConfigurations()
        .withName("capi-validating-webhook-configuration").delete();
    client.apiextensions().v1().customResourceDefinitions().withLabel("cluster.x-k8s.io/provider", "cluster-api")
        .delete();
    client.apiextensions().v1().customResourceDefinitions().withLabel("cluster.x-k8s.io/provider", "cluster-api")
        .informOnCondition(l -> l.isEmpty()).get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopPlane() {
    if (client != null) client.close();
    if (dir != null) {
      Clusterctl.run(Map.of("TESTENV_DIR", dir.resolve("plane").toString()),
          "bash", Clusterctl.repoRoot().resolve("hack/testenv.sh").toString(), "down");
    }
  }

  @Test
  void initInstallsOurProvidersFromTheOfflineRepository() {
    Path config = Clusterctl.repository(dir.resolve("repo"), true);
    Clusterctl.clusterctl(dir.resolve("home"), "init", "--kubeconfig", kubeconfig.toString(),
        "--config", config.toString(),
        "--infrastructure", "javadocker", "--bootstrap", "javakubeadm", "--control-plane", "javakubeadm");

    for (ProviderPackage p : Providers.all()) {
      // clusterctl's inventory: what `clusterctl upgrade`, `move` and `delete` work from
      GenericKubernetesResource inventory = client.genericKubernetesResources("clusterctl.cluster.x-k8s.io/v1alpha3",
          "Provider").inNamespace(p.namespace()).withName(p.label()).get();
      assertNotNull(inventory, "Provider " + p.namespace() + "/" + p.label());
      assertEquals(p.name(), inventory.get("providerName"));
      assertEquals(p.type(), inventory.get("type"));
      assertEquals("v0.1.0", inventory.get("version"));

      Deployment d = client.apps().deployments().inNamespace(p.namespace())
          .withName(p.namePrefix() + "controller-manager").get();
      assertNotNull(d, "the " + p.label() + " Deployment");
      assertEquals(p.label(), d.getMetadata().getLabels().get("cluster.x-k8s.io/provider"));
      assertTrue(d.getMetadata().getLabels().containsKey("clusterctl.cluster.x-k8s.io"));

      for (CustomResourceDefinition expected : PackagedCrds.ofGroup(p.crdGroup())) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
            .withName(expected.getMetadata().getName())
            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")),
                60, TimeUnit.SECONDS);
        assertEquals(p.label(), crd.getMetadata().getLabels().get("cluster.x-k8s.io/provider"));
        assertTrue(crd.getMetadata().getLabels().containsKey("clusterctl.cluster.x-k8s.io"), crd.getMetadata()
            .getName() + " carries clusterctl's label");
      }
    }
    assertNotNull(client.apps().deployments().inNamespace("capi-system").withName("capi-controller-manager").get());
  }
}
