package io.capdjava.docker.loadbalancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.docker.Labels;
import io.capdjava.docker.kinds.ClusterSettings;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerSpec;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's load balancer on the real engine forwards from its published port to two TLS backends on 6443 (haproxy
 * containers standing in for API servers, answering /healthz with their name), and stops sending to one once its
 * Machine is being deleted.
 */
@ExtendWith(ManagementPlaneExtension.class)
class LoadBalancerTest {
  private static final String HAPROXY = LoadBalancer.image(null, null);
  private final String cluster = "lbtest-" + UUID.randomUUID().toString().substring(0, 6);
  private final DockerEngineRuntime runtime = DockerEngineRuntime.connect();

  @AfterEach
  void removeContainers() throws Exception {
    for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, cluster))) runtime.remove(c.name());
    runtime.close();
  }

  @Test
  void forwardsToBothBackendsAndDrainsTheOneWhoseMachineIsDeleted(ManagementPlane plane, @TempDir Path tmp)
      throws Exception {
    SecurityProfile security = SecurityProfiles.choose("auto", runtime);
    LoadBalancer lb = new LoadBalancer(runtime, cluster);
    ContainerInfo lbContainer = lb.ensure(HAPROXY, security);
    assertEquals(cluster + "-lb", lbContainer.name());
    assertEquals(lbContainer.id(), lb.ensure(HAPROXY, security).id(), "a second ensure reuses the container");
    int port = lbContainer.publishedPorts().get("6443/tcp");

    byte[] pem = selfSignedPem(tmp);
    for (String machine : List.of("m1", "m2")) {
      createMachine(plane, machine);
      startBackend(cluster + "-" + machine, pem, security);
    }
    DockerCluster dockerCluster = new DockerCluster();
    dockerCluster.setMetadata(new ObjectMetaBuilder().withName(cluster).withNamespace(plane.namespace()).build());
    ClusterSettings settings = ClusterSettings.of(dockerCluster);
    LoadBalancerConfiguration configuration = new LoadBalancerConfiguration(plane.client(), runtime);

    assertTrue(configuration.reconcile(settings, cluster));
    long limit = lb.observe().openFileLimit();
    assertTrue(limit > 0);
    assertTrue(lb.observe().currentConfig().contains("maxconn " + HAProxyConfig.maxConn(limit) + "\n"),
        "maxconn fits the container's open-file limit of " + limit);
    assertEquals(Set.of(cluster + "-m1", cluster + "-m2"), answersWithin(port, Duration.ofSeconds(40), 2));
    assertTrue(!configuration.reconcile(settings, cluster), "an unchanged configuration is not rewritten");

    // m2's Machine is being deleted (a finalizer holds it): its backend gets weight 0
    plane.client().resources(Machine.class).inNamespace(plane.namespace()).withName("m2")
        .edit(m -> { m.getMetadata().getFinalizers().add("test.capd-java.io/hold"); return m; });
    plane.client().resources(Machine.class).inNamespace(plane.namespace()).withName("m2").delete();
    assertTrue(configuration.reconcile(settings, cluster));
    assertTrue(lb.observe().currentConfig().contains(cluster + "-m2") && lb.observe().currentConfig().contains("weight 0"));
    Thread.sleep(1000);
    assertEquals(Set.of(cluster + "-m1"), answers(port, 10));

    plane.client().resources(Machine.class).inNamespace(plane.namespace()).withName("m2")
        .edit(m -> { m.getMetadata().getFinalizers().remove("test.capd-java.io/hold"); return m; });
  }

  private void createMachine(ManagementPlane plane, String name) {
    plane.client().resource(Serialization.unmarshal("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Machine
        metadata:
          name: %s
          namespace: %s
          labels: {cluster.x-k8s.io/cluster-name: %s, cluster.x-k8s.io/control-plane: ""}
        spec:
          clusterName: %s
          bootstrap: {dataSecretName: none}
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachine, name: %s}
        """.formatted(name, plane.namespace(), cluster, cluster, name), GenericKubernetesResource.class)).create();
  }

  /** An haproxy that terminates TLS on 6443 and answers every request with its own name, as an API server stand-in. */
  private void startBackend(String name, byte[] pem, SecurityProfile security) {
    runtime.run(new ContainerSpec(name, HAPROXY, Labels.NETWORK,
        Map.of(Labels.CLUSTER, cluster, Labels.ROLE, Labels.ROLE_CONTROL_PLANE), List.of(), Map.of("/tmp", ""),
        List.of(), List.of(), List.of(), "127.0.0.1", security));
    runtime.copyFile(name, "/usr/local/etc/haproxy/server.pem", pem);
    runtime.copyFile(name, HAProxyConfig.CONFIG_PATH, ("""
        global
          maxconn 1000
        defaults
          mode http
          timeout connect 5s
          timeout client 10s
          timeout server 10s
        frontend api
          bind *:6443 ssl crt /usr/local/etc/haproxy/server.pem
          http-request return status 200 content-type text/plain string "%s"
        """.formatted(name)).getBytes(StandardCharsets.UTF_8));
    runtime.kill(name, "SIGHUP");
  }

  private static Set<String> answersWithin(int port, Duration timeout, int expected) throws Exception {
    Set<String> seen = new HashSet<>();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline) && seen.size() < expected) {
      seen.addAll(answers(port, 4));
      Thread.sleep(500);
    }
    return seen;
  }

  private static Set<String> answers(int port, int requests) throws Exception {
    Set<String> seen = new HashSet<>();
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] c, String a) {}

      public void checkServerTrusted(X509Certificate[] c, String a) {}

      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    for (int i = 0; i < requests; i++) {
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setSoTimeout(3000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4).strip();
        if (!body.isEmpty()) seen.add(body);
      } catch (java.io.IOException e) {
        // no backend up yet: the load balancer closes the connection
      }
    }
    return seen;
  }

  private static byte[] selfSignedPem(Path tmp) throws Exception {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=kube-apiserver", "-keyout", tmp.resolve("key.pem").toString(),
        "-out", tmp.resolve("cert.pem").toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    return (Files.readString(tmp.resolve("cert.pem")) + Files.readString(tmp.resolve("key.pem")))
        .getBytes(StandardCharsets.UTF_8);
  }
}
