package io.capdjava.e2e.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneProviderMain;
import io.capdjava.core.Conditions;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.Labels;
import io.capdjava.e2e.chain.ProviderServiceAccounts.ProviderAccount;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.capdjava.testenv.ProviderEndpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstream's quick-start spec on real components: upstream CAPI core and our three providers turn the quick-start
 * manifest (one control-plane machine, one worker) into a Kubernetes cluster of containers on the real engine, made
 * by kubeadm from our node image; then deleting the Cluster removes everything it made. The providers run as their
 * Deployments would: each with a client that impersonates its own service account (bound to the roles our components
 * YAML grants) and with its Deployment's own arguments (leader election in its namespace, authenticated metrics).
 */
@ExtendWith(ManagementPlaneExtension.class)
class QuickStartTest {
  static final String VERSION = "v1.34.4";

  @Test
  void quickStartClusterComesUpWithTheGeneratedPermissionsAndGoesAwayCompletely(ManagementPlane plane) throws Exception {
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
      E2eCluster.create(plane, "quick-start", "qs", 1, 1, providers).exercise(qs -> {
        KubernetesClient client = qs.client;
        String cluster = qs.name;
        List<Machine> machines = waitFor("two Running machines", Duration.ofMinutes(10), () -> {
          List<Machine> all = new java.util.ArrayList<>(qs.machines(true));
          all.addAll(qs.machines(false));
          return all.size() == 2 && all.stream().allMatch(E2eCluster::running) ? all : null;
        });
        qs.log("machines Running");
        for (Machine m : machines) {
          assertTrue(m.getSpec().providerID.startsWith("docker:////" + cluster + "-"), m.getSpec().providerID);
        }

        // the cluster's kubeconfig works, through the load balancer
        Config config = Config.fromKubeconfig(qs.kubeconfig());
        DockerCluster dockerCluster = client.resources(DockerCluster.class).inNamespace(ns).withName(cluster).get();
        assertEquals(dockerCluster.getSpec().controlPlaneEndpoint.host, URI.create(config.getMasterUrl()).getHost());
        assertEquals(qs.providers.runtime.find(cluster + "-lb").orElseThrow().ipv4On(Labels.NETWORK),
            dockerCluster.getSpec().controlPlaneEndpoint.host);
        KubernetesClient workload = qs.workload();
        List<Node> nodes = waitFor("two Ready nodes", Duration.ofMinutes(5), () -> {
          List<Node> all = workload.nodes().list().getItems();
          return all.size() == 2 && all.stream().allMatch(QuickStartTest::ready) ? all : null;
        });
        qs.log("nodes Ready");
        for (Node n : nodes) assertTrue(n.getSpec().getProviderID().startsWith("docker:////"), n.getMetadata().getName());
        waitFor("control-plane pods Running", Duration.ofMinutes(3), () -> {
          List<Pod> pods = workload.pods().inNamespace("kube-system").list().getItems();
          return List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler").stream().allMatch(
              c -> pods.stream().anyMatch(p -> p.getMetadata().getName().startsWith(c + "-")
                  && "Running".equals(p.getStatus().getPhase()))) ? pods : null;
        });
        Cluster c = client.resources(Cluster.class).inNamespace(ns).withName(cluster).get();
        assertTrue(Boolean.TRUE.equals(c.getStatus().initialization.controlPlaneInitialized));
        assertTrue(Conditions.isTrue(c.getStatus().conditions, "InfrastructureReady"));
        // CAPI core's summary: control plane and workers available, the workload cluster answering
        waitFor("the Cluster's Available condition True", Duration.ofMinutes(3), () -> Conditions.isTrue(client
            .resources(Cluster.class).inNamespace(ns).withName(cluster).get().getStatus().conditions, "Available")
            ? Boolean.TRUE : null);
        qs.log("Cluster Available");

        // kubectl describe tells the story: each provider recorded what it made as Events
        Map<String, List<String>> events = new java.util.TreeMap<>();
        for (var e : client.v1().events().inNamespace(ns).list().getItems()) {
          events.computeIfAbsent(e.getInvolvedObject().getKind(), k -> new java.util.ArrayList<>()).add(e.getReason());
        }
        assertTrue(events.getOrDefault("DockerCluster", List.of()).contains("LoadBalancerCreated"), events.toString());
        assertTrue(events.getOrDefault("DockerMachine", List.of()).containsAll(List.of("ContainerCreated",
            "BootstrapSucceeded")), events.toString());
        assertTrue(events.getOrDefault("KubeadmConfig", List.of()).contains("BootstrapDataCreated"), events.toString());
        assertTrue(events.getOrDefault("KubeadmControlPlane", List.of()).contains("SuccessfulCreate"), events.toString());

        // KCP records when the control plane's certificates expire (the API server's serving certificate on the node),
        // and CAPI core copies it to the Machine, where rollout.before.certificatesExpiryDays looks
        Machine controlPlaneMachine = qs.machines(true).get(0);
        String node = controlPlaneMachine.getStatus().nodeRef.name;
        Instant notAfter = ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory
            .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(
                qs.read(node, "/etc/kubernetes/pki/apiserver.crt").getBytes(StandardCharsets.UTF_8))))
            .getNotAfter().toInstant();
        String annotation = waitFor("the certificates-expiry annotation on the control plane's KubeadmConfig",
            Duration.ofMinutes(2), () -> {
              var kubeadmConfig = client.resources(io.capdjava.api.bootstrap.v1beta2.KubeadmConfig.class).inNamespace(ns)
                  .withName(controlPlaneMachine.getSpec().bootstrap.configRef.name).get();
              return kubeadmConfig.getMetadata().getAnnotations() == null ? null
                  : kubeadmConfig.getMetadata().getAnnotations().get("machine.cluster.x-k8s.io/certificates-expiry");
            });
        assertEquals(notAfter.toString(), annotation);
        Instant onMachine = waitFor("Machine status.certificatesExpiryDate", Duration.ofMinutes(1), () ->
            io.capdjava.controlplane.machines.MachineFacts.certificatesExpiry(client.resources(Machine.class)
                .inNamespace(ns).withName(controlPlaneMachine.getMetadata().getName()).get()).orElse(null));
        assertEquals(notAfter, onMachine);

        // upstream clusterctl reads our objects as it reads upstream's
        String clusterctl = tool("clusterctl");
        String described = run(clusterctl, "describe", "cluster", cluster, "-n", ns, "--kubeconfig",
            plane.kubeconfig().toString());
        for (String row : List.of("Cluster " + ns + "/" + cluster, "DockerCluster " + ns + "/" + cluster,
            "KubeadmControlPlane " + ns + "/" + cluster + "-control-plane", "MachineDeployment " + ns + "/" + cluster + "-md-0")) {
          assertTrue(described.lines().anyMatch(l -> l.contains(row) && l.contains("True")), row + " True in:\n" + described);
        }
        // compared without printing: a kubeconfig holds a private key
        assertTrue(qs.kubeconfig().strip().equals(
            run(clusterctl, "get", "kubeconfig", cluster, "-n", ns, "--kubeconfig", plane.kubeconfig().toString()).strip()),
            "clusterctl get kubeconfig returns the " + cluster + "-kubeconfig secret");

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

  static boolean ready(Node n) {
    return n.getStatus() != null && n.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String tool(String name) throws Exception {
    return run("bash", ClusterManifest.repoRoot().resolve("hack/tools.sh").toString(), "--print-dir").strip() + "/" + name;
  }

  /** Runs a command; its standard output, which must come with exit code 0. */
  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + out);
    return out;
  }

  static String docker(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static <T> T waitFor(String what, Duration timeout, Supplier<T> check) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        T value = check.get();
        if (value != null) return value;
      } catch (RuntimeException e) {
        last = e;
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what
        + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
  }
}
