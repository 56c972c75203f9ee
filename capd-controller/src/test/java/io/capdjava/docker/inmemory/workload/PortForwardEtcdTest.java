package io.capdjava.docker.inmemory.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.core.certs.AdminKubeconfig;
import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KCP's way to etcd, end to end: fabric8's WebSocket port-forward through a simulated API server to port 2379 of
 * {@code kube-system/etcd-<node>}, TLS with a client certificate from the etcd CA, etcd's JSON gateway behind.
 */
class PortForwardEtcdTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyAlgorithm KEYS = KeyAlgorithm.ECDSA_P256;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private static SimulatedClusters clusters;
  private static SimulatedCluster cluster;
  private static CertificateKeyPair etcdCa;
  private static CertificateKeyPair clusterCa;
  private static KubernetesClient workload;
  private static HttpClient etcdHttp;

  @BeforeAll
  static void startCluster() throws Exception {
    int minPort = 40000 + ThreadLocalRandom.current().nextInt(0, 20) * 1000;
    clusters = new SimulatedClusters("127.0.0.1", minPort, minPort + 999);
    cluster = clusters.getOrCreate("default", "pf", 0);
    clusterCa = CertificateIssuer.selfSignedCa(KEYS, null);
    etcdCa = CertificateIssuer.selfSignedCa(KEYS, null);
    cluster.startApiServer("kube-apiserver-n1", clusterCa);
    for (String node : List.of("n1", "n2", "n3")) {
      cluster.objects().create(ResourceTypes.PODS, pod("etcd-" + node));
      cluster.etcd().addMember(node);
    }
    cluster.startEtcdMember("etcd-n1", etcdCa);
    cluster.startEtcdMember("etcd-n2", etcdCa);
    // etcd-n3: the pod exists, its member is not started

    String kubeconfig = AdminKubeconfig.generate("pf", AdminKubeconfig.server(cluster.host(), cluster.port()),
        clusterCa, KEYS);
    Config config = Config.fromKubeconfig(kubeconfig);
    config.setRequestRetryBackoffLimit(0);
    workload = new KubernetesClientBuilder().withConfig(config).build();
    etcdHttp = HttpClient.newBuilder()
        .sslContext(etcdClientTls(CertificateIssuer.etcdClientCertificate(etcdCa, KEYS)))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CALL_TIMEOUT)
        .build();
  }

  @AfterAll
  static void stopCluster() {
    if (workload != null) workload.close();
    if (clusters != null) clusters.close();
  }

  @Test
  void memberListAndStatusComeFromTheMemberForwardedTo() throws Exception {
    SimulatedEtcd.Member n1 = cluster.etcd().byName("n1").orElseThrow();
    SimulatedEtcd.Member n2 = cluster.etcd().byName("n2").orElseThrow();
    try (LocalPortForward forward = forward("etcd-n2", 2379)) {
      JsonNode list = post(forward, "/v3/cluster/member/list", "{}");
      List<String> names = new ArrayList<>();
      list.path("members").forEach(m -> names.add(m.path("name").asText()));
      assertTrue(names.containsAll(List.of("n1", "n2", "n3")), list.toString());
      assertEquals(Long.toUnsignedString(n2.id()), list.path("header").path("member_id").asText());

      // a second call on the same forward (and, with keep-alive, the same TLS connection)
      JsonNode status = post(forward, "/v3/maintenance/status", "{}");
      assertEquals(Long.toUnsignedString(n1.id()), status.path("leader").asText());
      assertEquals(Long.toUnsignedString(n2.id()), status.path("header").path("member_id").asText());
      assertEquals(EtcdGateway.VERSION, status.path("version").asText());

      JsonNode alarms = post(forward, "/v3/maintenance/alarm", "{\"action\":\"GET\"}");
      assertTrue(alarms.path("alarms").isMissingNode(), alarms.toString());
    }
  }

  /** KCP reads each API server's certificate expiry through a forward to its pod, without a client certificate. */
  @Test
  void anApiServerPodServesItsCertificateFromTheClusterCa() throws Exception {
    cluster.objects().createIfAbsent(ResourceTypes.PODS, pod("kube-apiserver-n1"));
    try (LocalPortForward forward = forward("kube-apiserver-n1", 6443);
        java.net.Socket plain = new java.net.Socket(forward.getLocalAddress(), forward.getLocalPort())) {
      javax.net.ssl.SSLContext inspectOnly = javax.net.ssl.SSLContext.getInstance("TLS");
      inspectOnly.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
          return new java.security.cert.X509Certificate[0];
        }
      }}, null);
      plain.setSoTimeout(10_000);
      try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) inspectOnly.getSocketFactory()
          .createSocket(plain, "127.0.0.1", forward.getLocalPort(), false)) {
        tls.startHandshake();
        var served = (java.security.cert.X509Certificate) tls.getSession().getPeerCertificates()[0];
        assertEquals(clusterCa.certificate().getSubjectX500Principal(), served.getIssuerX500Principal());
        assertTrue(served.getNotAfter().toInstant().isAfter(java.time.Instant.now()));
      }
    }
    // a pod whose API server is not running is refused like any closed port
    cluster.objects().createIfAbsent(ResourceTypes.PODS, pod("kube-apiserver-n2"));
    try (LocalPortForward forward = forward("kube-apiserver-n2", 6443)) {
      assertThrows(IOException.class, () -> send(forward, "/version", "{}"));
    }
  }

  @Test
  void errorsOfTheGatewayComeBackAsEtcdErrors() throws Exception {
    try (LocalPortForward forward = forward("etcd-n1", 2379)) {
      HttpResponse<String> response = send(forward, "/v3/cluster/member/remove", "{\"ID\":\"42\"}");
      assertEquals(404, response.statusCode(), response.body());
      assertEquals("etcdserver: member not found", JSON.readTree(response.body()).path("message").asText());
    }
  }

  @Test
  void aMissingPodIsNotFound() throws Exception {
    try (LocalPortForward forward = forward("etcd-n9", 2379)) {
      assertThrows(IOException.class, () -> send(forward, "/v3/maintenance/status", "{}"));
      Throwable error = serverError(forward);
      assertTrue(error instanceof WebSocketHandshakeException handshake && handshake.getResponse().code() == 404,
          String.valueOf(error));
    }
  }

  @Test
  void aMemberNotStartedIsReportedOnTheErrorChannel() throws Exception {
    try (LocalPortForward forward = forward("etcd-n3", 2379)) {
      assertThrows(IOException.class, () -> send(forward, "/v3/maintenance/status", "{}"));
      String message = serverError(forward).getMessage();
      assertTrue(message.contains("error forwarding port 2379 to pod etcd-n3")
          && message.contains("etcd member n3 is not running"), message);
    }
  }

  @Test
  void anotherPortIsRefused() throws Exception {
    try (LocalPortForward forward = forward("etcd-n1", 2380)) {
      assertThrows(IOException.class, () -> send(forward, "/v3/maintenance/status", "{}"));
      String message = serverError(forward).getMessage();
      assertTrue(message.contains("error forwarding port 2380 to pod etcd-n1"), message);
    }
  }

  @Test
  void aClientWithoutTheEtcdClientCertificateIsTurnedAway() throws Exception {
    HttpClient anonymous = HttpClient.newBuilder()
        .sslContext(etcdClientTls(null))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CALL_TIMEOUT)
        .build();
    try (LocalPortForward forward = forward("etcd-n1", 2379)) {
      assertThrows(IOException.class, () -> anonymous.send(request(forward, "/v3/maintenance/status", "{}"),
          HttpResponse.BodyHandlers.ofString()));
      // the forward still serves a client that has one
      assertEquals(200, send(forward, "/v3/maintenance/status", "{}").statusCode());
    }
  }

  private static LocalPortForward forward(String pod, int port) {
    return workload.pods().inNamespace("kube-system").withName(pod)
        .portForward(port, InetAddress.getLoopbackAddress(), 0);
  }

  private static JsonNode post(LocalPortForward forward, String path, String body) throws Exception {
    HttpResponse<String> response = send(forward, path, body);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> send(LocalPortForward forward, String path, String body) throws Exception {
    return etcdHttp.send(request(forward, path, body), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(LocalPortForward forward, String path, String body) {
    URI base = URI.create("https://" + forward.getLocalAddress().getHostAddress() + ":" + forward.getLocalPort());
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(CALL_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** What the API server said about the forward; fabric8 records it on its own thread, so wait for it a little. */
  private static Throwable serverError(LocalPortForward forward) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Collection<Throwable> errors = forward.getServerThrowables();
      if (!errors.isEmpty()) return errors.iterator().next();
      Thread.sleep(20);
    }
    throw new AssertionError("the port-forward recorded no error from the API server");
  }

  /** Like KCP's etcd TLS: its client certificate from the etcd CA (none when null), trust in the etcd CA. */
  private static SSLContext etcdClientTls(CertificateKeyPair client) throws Exception {
    char[] inMemory = new char[0];
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (client != null) {
      keys.setKeyEntry("etcd-client", client.privateKey(), inMemory, new Certificate[] {client.certificate()});
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, inMemory);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("etcd-ca", etcdCa.certificate());
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  private static ObjectNode pod(String name) {
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.putObject("metadata").put("name", name).put("namespace", "kube-system")
        .putObject("labels").put("component", "etcd").put("tier", "control-plane");
    pod.putObject("spec").putArray("containers").addObject().put("name", "etcd").put("image", "etcd");
    return pod;
  }
}
