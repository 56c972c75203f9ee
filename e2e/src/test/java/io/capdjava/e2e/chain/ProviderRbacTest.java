package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The permissions our components YAML grants are enough: each provider runs with a client that impersonates its own
 * service account (bound to the generated ClusterRole), and the quick-start cluster still becomes Available and is
 * deleted completely.
 */
@ExtendWith(ManagementPlaneExtension.class)
class ProviderRbacTest {
  @Test
  void quickStartWorksWithTheGeneratedPermissionsOnly(ManagementPlane plane) throws Exception {
    try (KubernetesClient docker = ProviderServiceAccounts.install(plane.client(), plane.kubeconfig(),
            "infrastructure-javadocker/v0.1.0/infrastructure-components.yaml");
        KubernetesClient bootstrap = ProviderServiceAccounts.install(plane.client(), plane.kubeconfig(),
            "bootstrap-javakubeadm/v0.1.0/bootstrap-components.yaml");
        KubernetesClient controlPlane = ProviderServiceAccounts.install(plane.client(), plane.kubeconfig(),
            "control-plane-javakubeadm/v0.1.0/control-plane-components.yaml")) {
      E2eCluster cluster = E2eCluster.create(plane, "rbac", "rbac", 1, 1,
          new Providers(docker, bootstrap, controlPlane, plane.namespace()));
      try {
        waitFor("the Cluster's Available condition True", Duration.ofMinutes(6), () -> {
          Cluster c = cluster.client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name).get();
          return c.getStatus() != null && Conditions.isTrue(c.getStatus().conditions, "Available") ? c : null;
        });
        cluster.log("Cluster Available with the providers' own permissions");
        cluster.deleteAndCheckNothingIsLeft();
      } catch (Throwable t) {
        cluster.saveDiagnostics();
        throw t;
      } finally {
        cluster.close();
      }
    }
  }
}
