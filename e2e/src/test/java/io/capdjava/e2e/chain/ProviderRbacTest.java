package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneProviderMain;
import io.capdjava.core.Conditions;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.e2e.chain.ProviderServiceAccounts.ProviderAccount;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.capdjava.testenv.ProviderEndpoints;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The permissions our components YAML grants are enough: each provider runs with a client that impersonates its own
 * service account (bound to the generated roles) and with its Deployment's own arguments (leader election in its
 * namespace, authenticated metrics), and the quick-start cluster still becomes Available and is deleted completely.
 */
@ExtendWith(ManagementPlaneExtension.class)
class ProviderRbacTest {
  @Test
  void quickStartWorksWithTheGeneratedPermissionsAndArguments(ManagementPlane plane) throws Exception {
    String ns = plane.namespace();
    try (ProviderAccount docker = ProviderServiceAccounts.install(plane.client(), plane.kubeconfig(),
            "infrastructure-javadocker/v0.1.0/infrastructure-components.yaml");
        ProviderAccount bootstrap = ProviderServiceAccounts.install(plane.client(), plane.kubeconfig(),
            "bootstrap-javakubeadm/v0.1.0/bootstrap-components.yaml");
        ProviderAccount controlPlane = ProviderServiceAccounts.install(plane.client(), plane.kubeconfig(),
            "control-plane-javakubeadm/v0.1.0/control-plane-components.yaml")) {
      List<ProviderAccount> accounts = List.of(docker, bootstrap, controlPlane);
      ManagerOptions dockerOptions = DockerProviderMain.flags().parse(docker.argsRunningHere(ns)).options();
      assertTrue(dockerOptions.leaderElection().isPresent(), "the Deployment's arguments elect a leader");
      Providers providers = new Providers(
          docker.client(), dockerOptions,
          bootstrap.client(), BootstrapProviderMain.flags().parse(bootstrap.argsRunningHere(ns)).options(),
          controlPlane.client(), ControlPlaneProviderMain.flags().parse(controlPlane.argsRunningHere(ns)).options());
      E2eCluster.create(plane, "rbac", "rbac", 1, 1, providers).exercise(cluster -> {
        waitFor("the Cluster's Available condition True", Duration.ofMinutes(6), () -> {
          Cluster c = cluster.client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name).get();
          return c.getStatus() != null && Conditions.isTrue(c.getStatus().conditions, "Available") ? c : null;
        });
        cluster.log("Cluster Available with the providers' own permissions and arguments");
        // the last thing KCP writes once scaling settled: the control plane's certificate expiry on its KubeadmConfig
        waitFor("the certificates-expiry annotation KCP writes", Duration.ofMinutes(2), () ->
            cluster.client.resources(io.capdjava.api.bootstrap.v1beta2.KubeadmConfig.class)
                .inNamespace(cluster.namespace).withLabel("cluster.x-k8s.io/control-plane").list().getItems().stream()
                .anyMatch(c -> c.getMetadata().getAnnotations() != null && c.getMetadata().getAnnotations()
                    .containsKey("machine.cluster.x-k8s.io/certificates-expiry")) ? Boolean.TRUE : null);
        checkLeasesAndEndpoints(plane.client(), ns, providers.managers(), accounts);
      });
    }
  }

  /**
   * Each provider holds its Lease in its own namespace, is ready, and serves /metrics to a scraper allowed to GET it
   * (its service account may review tokens and access). The leases' names differ from upstream's.
   */
  private static void checkLeasesAndEndpoints(KubernetesClient admin, String ns, List<ProviderManager> managers,
      List<ProviderAccount> accounts) throws Exception {
    List<String> leaseNames = List.of(DockerProviderMain.LEASE_NAME, BootstrapProviderMain.LEASE_NAME,
        ControlPlaneProviderMain.LEASE_NAME);
    String reader = "metrics-reader-" + ns;
    admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("prometheus").endMetadata().build()).create();
    admin.resource(new ClusterRoleBuilder().withNewMetadata().withName(reader).endMetadata()
        .addNewRule().withNonResourceURLs("/metrics").withVerbs("get").endRule().build()).create();
    admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(reader).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(reader)
        .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("prometheus").withNamespace(ns)
        .endSubject().build()).create();
    try {
      String token = admin.serviceAccounts().inNamespace(ns).withName("prometheus")
          .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
          .getStatus().getToken();
      for (int i = 0; i < managers.size(); i++) {
        ProviderManager manager = managers.get(i);
        assertTrue(manager.isLeading(), leaseNames.get(i));
        assertEquals(manager.identity(), admin.leases().inNamespace(accounts.get(i).namespace())
            .withName(leaseNames.get(i)).get().getSpec().getHolderIdentity(), leaseNames.get(i));
        assertEquals(200, ProviderEndpoints.get("http://127.0.0.1:" + manager.healthAddress().orElseThrow().getPort()
            + "/readyz", null).statusCode());
        String metrics = "https://127.0.0.1:" + manager.diagnosticsAddress().orElseThrow().getPort() + "/metrics";
        HttpResponse<String> scraped = waitFor("metrics of " + leaseNames.get(i), Duration.ofSeconds(30), () -> {
          try {
            HttpResponse<String> r = ProviderEndpoints.get(metrics, token);
            return r.statusCode() == 200 ? r : null;
          } catch (java.io.IOException e) {
            return null;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
        assertTrue(scraped.body().lines().anyMatch(l -> l.startsWith("controller_runtime_reconcile_total{")
            && l.contains("result=\"success\"") && !l.endsWith(" 0")), scraped.body());
        assertEquals(1.0, ProviderEndpoints.sample(scraped.body(),
            "leader_election_master_status{name=\"" + leaseNames.get(i) + "\"}"));
      }
    } finally {
      admin.rbac().clusterRoleBindings().withName(reader).delete();
      admin.rbac().clusterRoles().withName(reader).delete();
    }
  }
}
