package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Bootstrap;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagementPlaneExtension.class)
class ManagementClientTest {
  private final String before = System.getProperty(ManagementClient.KEY_PBE_ITERATIONS);
  private final String kubeconfigBefore = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);

  @TempDir Path dir;

  @AfterEach
  void restore() {
    if (before == null) System.clearProperty(ManagementClient.KEY_PBE_ITERATIONS);
    else System.setProperty(ManagementClient.KEY_PBE_ITERATIONS, before);
    if (kubeconfigBefore == null) System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    else System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfigBefore);
  }

  @Test
  void inMemoryKeyStoreEntriesGetOneIteration() {
    System.clearProperty(ManagementClient.KEY_PBE_ITERATIONS);
    ManagementClient.protectInMemoryKeyStoresCheaply();
    assertEquals("1", System.getProperty(ManagementClient.KEY_PBE_ITERATIONS));
  }

  @Test
  void anIterationCountTheOperatorSetIsKept() {
    System.setProperty(ManagementClient.KEY_PBE_ITERATIONS, "5000");
    ManagementClient.protectInMemoryKeyStoresCheaply();
    assertEquals("5000", System.getProperty(ManagementClient.KEY_PBE_ITERATIONS));
  }

  @Test
  void aClientCertificateUserGetsNoTokenRefreshThatWouldReadItsKubeconfigFilesOnEveryRequest() throws IOException {
    CertificateKeyPair admin = CertificateIssuer.adminClientCertificate(
        CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null), KeyAlgorithm.RSA_2048);
    kubeconfig("client-certificate-data: " + base64(admin.cert()) + "\n"
        + "    client-key-data: " + base64(admin.key()));
    // fabric8's interceptor re-reads the files before each request once the client is a minute old, finding no token
    assertFalse(tokenInterceptorOf(ManagementClient.configuration()) instanceof TokenRefreshInterceptor);
  }

  @Test
  void tokenAndPasswordUsersKeepFabric8sTokenInterceptor() throws IOException {
    kubeconfig("token: t0ken");
    assertInstanceOf(TokenRefreshInterceptor.class, tokenInterceptorOf(ManagementClient.configuration()));
    kubeconfig("username: admin\n    password: s3cret");
    assertInstanceOf(TokenRefreshInterceptor.class, tokenInterceptorOf(ManagementClient.configuration()));
  }

  @Test
  void aTokenUsersConfigurationStillTakesANewTokenFromItsFiles() throws IOException {
    kubeconfig("token: first-t0ken");
    Config config = ManagementClient.configuration();
    kubeconfig("token: second-t0ken");

    assertEquals("second-t0ken", config.refresh().getAutoOAuthToken());
  }

  @Test
  void watchEventsOfOurKindsAndCapiCoresAreReadStraightIntoTheirClassesKeepingWhatIsNotModelled() {
    KubernetesSerialization serialization = ManagementClient.serialization();
    // as fabric8's watch reads one: without the registration, a GenericKubernetesResource to convert again
    WatchEvent event = serialization.unmarshal("""
        {"type": "MODIFIED", "object": {"apiVersion": "cluster.x-k8s.io/v1beta2", "kind": "Machine",
          "metadata": {"name": "m0"}, "spec": {"clusterName": "c", "fieldOfALaterRelease": 1}}}""", WatchEvent.class);
    Machine machine = assertInstanceOf(Machine.class, event.getObject());
    assertEquals("c", machine.getSpec().clusterName);
    assertEquals(1, machine.getSpec().getUnknownFields().get("fieldOfALaterRelease"));

    WatchEvent ours = serialization.unmarshal("""
        {"type": "ADDED", "object": {"apiVersion": "infrastructure.cluster.x-k8s.io/v1beta2",
          "kind": "DockerMachine", "metadata": {"name": "m0"}}}""", WatchEvent.class);
    assertInstanceOf(DockerMachine.class, ours.getObject());
  }

  @Test
  void informersOfTheProvidersClientGetObjectsAsTheirClassesBuiltInKindsToo(ManagementPlane plane) throws Exception {
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, plane.kubeconfig().toString());
    try (KubernetesClient client = ManagementClient.build()) {
      BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
      ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
        @Override public void onAdd(HasMetadata obj) { seen.add(obj); }
        @Override public void onUpdate(HasMetadata old, HasMetadata obj) { seen.add(obj); }
        @Override public void onDelete(HasMetadata obj, boolean unknown) {}
      };
      try (var secrets = client.secrets().inNamespace(plane.namespace()).withName("watched").inform(cast(handler));
          var machines = client.resources(Machine.class).inNamespace(plane.namespace()).withName("watched")
              .inform(cast(handler))) {
        client.secrets().inNamespace(plane.namespace()).resource(new SecretBuilder().withNewMetadata()
            .withName("watched").endMetadata().addToStringData("k", "v").build()).create();
        Machine machine = new Machine();
        machine.getMetadata().setName("watched");
        machine.getMetadata().setNamespace(plane.namespace());
        machine.setSpec(new MachineSpec());
        machine.getSpec().clusterName = "c";
        machine.getSpec().bootstrap = new Bootstrap();
        machine.getSpec().bootstrap.dataSecretName = "watched";
        machine.getSpec().infrastructureRef =
            new ContractVersionedObjectReference("infrastructure.cluster.x-k8s.io", "DockerMachine", "watched");
        client.resource(machine).create();

        List<Object> got = new ArrayList<>();
        for (Object next; got.size() < 2 && (next = seen.poll(30, TimeUnit.SECONDS)) != null; ) got.add(next);
        assertTrue(got.stream().anyMatch(Secret.class::isInstance), "a Secret: " + got);
        assertTrue(got.stream().anyMatch(Machine.class::isInstance), "a Machine: " + got);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
    return (ResourceEventHandler<T>) handler;
  }

  private static Interceptor tokenInterceptorOf(Config config) {
    var builder = (StandardHttpClientBuilder<?, ?, ?>) ManagementClient.httpClientFactory(config).newBuilder(config);
    return builder.getInterceptors().get(TokenRefreshInterceptor.NAME);
  }

  private Path kubeconfig(String user) throws IOException {
    Path file = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kind-capi
          cluster: {server: "https://127.0.0.1:40123"}
        contexts:
        - name: kind-capi
          context: {cluster: kind-capi, user: kind-capi}
        current-context: kind-capi
        users:
        - name: kind-capi
          user:
            %s
        """.formatted(user));
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, file.toString());
    return file;
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes());
  }
}
