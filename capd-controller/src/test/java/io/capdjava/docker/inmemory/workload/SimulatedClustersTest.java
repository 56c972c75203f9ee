package io.capdjava.docker.inmemory.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.core.certs.AdminKubeconfig;
import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated API servers as a Java client sees them: fabric8 (what our controllers use) creates, reads, lists and
 * watches objects over TLS with the admin kubeconfig CAPI writes; the listener serves only while an API server runs,
 * and only clients with a certificate from the cluster CA; each cluster has its own port, freed when it is removed.
 */
class SimulatedClustersTest {
  private static final String HOST = "127.0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int minPort = 21000 + ThreadLocalRandom.current().nextInt(8000);
  private final int maxPort = minPort + 19;
  private SimulatedClusters clusters;
  private CertificateKeyPair ca;

  @BeforeEach
  void setUp() {
    clusters = new SimulatedClusters(HOST, minPort, maxPort);
    ca = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
  }

  @AfterEach
  void tearDown() {
    clusters.close();
  }

  @Test
  void fabric8CreatesGetsListsAndWatchesNodes() throws Exception {
    SimulatedCluster cluster = clusters.getOrCreate("default", "c1", 0);
    assertEquals(HOST, cluster.host());
    assertTrue(cluster.port() >= minPort && cluster.port() <= maxPort, "port " + cluster.port() + " in the range");
    cluster.startApiServer("kube-apiserver-c1-cp-1", ca);
    assertEquals(java.util.Set.of("kube-apiserver-c1-cp-1"), cluster.apiServers());

    try (KubernetesClient client = client(cluster, ca)) {
      Node created = client.nodes().resource(new NodeBuilder().withNewMetadata().withName("c1-cp-1")
          .addToLabels("node-role.kubernetes.io/control-plane", "").endMetadata().build()).create();
      assertNotNull(created.getMetadata().getUid());
      assertNotNull(created.getMetadata().getResourceVersion());

      Node got = client.nodes().withName("c1-cp-1").get();
      assertEquals(created.getMetadata().getUid(), got.getMetadata().getUid());
      assertTrue(cluster.objects().get(ResourceTypes.NODES, null, "c1-cp-1").isPresent(), "stored in the cluster");
      assertEquals(List.of("c1-cp-1"),
          client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList());
      assertEquals(null, client.nodes().withName("missing").get());

      BlockingQueue<String> seen = new LinkedBlockingQueue<>();
      SharedIndexInformer<Node> informer = client.nodes().inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(Node node) {
          seen.add("add " + node.getMetadata().getName());
        }

        @Override
        public void onUpdate(Node before, Node after) {
          seen.add("update " + after.getMetadata().getName() + " " + after.getMetadata().getLabels().get("x"));
        }

        @Override
        public void onDelete(Node node, boolean unknownFinalState) {
          seen.add("delete " + node.getMetadata().getName());
        }
      });
      try {
        assertEquals("add c1-cp-1", seen.poll(20, TimeUnit.SECONDS));
        // a change made through the store (as the simulated kubelet makes them) and one through the API
        cluster.objects().patch(ResourceTypes.NODES, null, "c1-cp-1", ObjectStore.PatchFormat.MERGE_PATCH,
            "{\"metadata\":{\"labels\":{\"x\":\"from-store\"}}}");
        assertEquals("update c1-cp-1 from-store", poll(seen, "update"));
        client.nodes().withName("c1-cp-1").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("x", "from-api")
            .endMetadata().build());
        assertEquals("update c1-cp-1 from-api", poll(seen, "update"));
        cluster.objects().create(ResourceTypes.NODES, node("c1-md-1"));
        assertEquals("add c1-md-1", poll(seen, "add"));
        client.nodes().withName("c1-md-1").delete();
        assertEquals("delete c1-md-1", poll(seen, "delete"));
      } finally {
        informer.close();
      }
    }
  }

  @Test
  void onlyClientsWithACertificateFromTheClusterCaAreServed() throws Exception {
    SimulatedCluster cluster = clusters.getOrCreate("default", "c1", 0);
    cluster.startApiServer("kube-apiserver-c1-cp-1", ca);

    Config noClientCertificate = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
        .withMasterUrl(AdminKubeconfig.server(cluster.host(), cluster.port()))
        .withCaCertData(b64(ca.cert()))
        .withRequestRetryBackoffLimit(0)
        .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(noClientCertificate).build()) {
      assertThrows(KubernetesClientException.class, () -> client.nodes().list());
    }

    CertificateKeyPair otherCa = CertificateIssuer.selfSignedCa(KeyAlgorithm.ECDSA_P256, null);
    Config otherCaConfig = Config.fromKubeconfig(AdminKubeconfig.generate("c1",
        AdminKubeconfig.server(cluster.host(), cluster.port()), otherCa, KeyAlgorithm.ECDSA_P256));
    otherCaConfig.setRequestRetryBackoffLimit(0);
    otherCaConfig.setTrustCerts(true);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(otherCaConfig).build()) {
      assertThrows(KubernetesClientException.class, () -> client.nodes().list());
    }

    try (KubernetesClient client = client(cluster, ca)) {
      assertEquals(List.of(), client.nodes().list().getItems());
    }
  }

  @Test
  void theListenerAlsoAnswersOnLoopbackForPortForwards() throws Exception {
    // the endpoint names the pod IP, but `kubectl port-forward` (upstream's e2e framework reaches an in-memory
    // cluster so) connects to localhost inside the pod: the listener binds every address, as upstream's does
    try (SimulatedClusters onPodIp = new SimulatedClusters("127.0.0.2", maxPort + 1, maxPort + 20)) {
      SimulatedCluster cluster = onPodIp.getOrCreate("default", "c1", 0);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), cluster.port()), 5_000);
        assertTrue(socket.isConnected());
      }
    }
  }

  @Test
  void theListenerServesOnlyWhileAnApiServerRuns() throws Exception {
    SimulatedCluster cluster = clusters.getOrCreate("default", "c1", 0);
    // bound from the start: the port is the cluster's, but nothing answers
    assertTrue(portTaken(cluster.port()), "the listener holds its port before any API server runs");
    assertTrue(closedAtOnce(cluster), "no TLS before the first API server starts");

    cluster.startApiServer("kube-apiserver-c1-cp-1", ca);
    cluster.startApiServer("kube-apiserver-c1-cp-2", ca);
    try (KubernetesClient client = client(cluster, ca)) {
      assertEquals("v1", client.getApiVersion());
      client.nodes().list();

      cluster.stopApiServer("kube-apiserver-c1-cp-1");
      assertEquals(java.util.Set.of("kube-apiserver-c1-cp-2"), cluster.apiServers());
      assertEquals(List.of(), client.nodes().list().getItems(), "one API server left still serves");

      cluster.stopApiServer("kube-apiserver-c1-cp-2");
      assertEquals(java.util.Set.of(), cluster.apiServers());
      assertThrows(KubernetesClientException.class, () -> client.nodes().list());
    }
    assertTrue(closedAtOnce(cluster), "no TLS after the last API server stopped");
    assertTrue(portTaken(cluster.port()), "the port stays the cluster's");

    // a restarted API server serves again, on the same port
    cluster.startApiServer("kube-apiserver-c1-cp-2", ca);
    try (KubernetesClient client = client(cluster, ca)) {
      assertEquals(List.of(), client.nodes().list().getItems());
    }
  }

  @Test
  void stoppingTheLastApiServerClosesOpenWatches() throws Exception {
    SimulatedCluster cluster = clusters.getOrCreate("default", "c1", 0);
    cluster.startApiServer("kube-apiserver-c1-cp-1", ca);
    try (Socket socket = tlsSocket(cluster, true)) {
      socket.getOutputStream().write(("GET /api/v1/nodes?watch=true HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String head = readUntil(in, "200 OK").toLowerCase(java.util.Locale.ROOT);
      assertTrue(head.contains("transfer-encoding: chunked"), head);
      cluster.stopApiServer("kube-apiserver-c1-cp-1");
      socket.setSoTimeout(10_000);
      readUntil(in, null); // returns at end of stream; times out (and fails) if the connection stays open
    }
  }

  @Test
  void watchesStreamAsKubeApiserverStreamsThem() throws Exception {
    SimulatedCluster cluster = clusters.getOrCreate("default", "c1", 0);
    cluster.startApiServer("kube-apiserver-c1-cp-1", ca);
    cluster.objects().create(ResourceTypes.NODES, node("n1"));
    cluster.objects().create(ResourceTypes.NODES, node("n2"));
    try (Socket socket = tlsSocket(cluster, true)) {
      socket.setSoTimeout(20_000);
      InputStream in = socket.getInputStream();
      // a streaming list (client-go's WatchList): the objects, then the bookmark marking their end, then changes;
      // the timeout ends the response, and the connection serves the next request
      send(socket, "GET /api/v1/nodes?watch=true&sendInitialEvents=true&allowWatchBookmarks=true"
          + "&resourceVersionMatch=NotOlderThan&timeoutSeconds=2");
      String head = readUntil(in, "200 OK");
      assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), head);
      List<String> events = new java.util.ArrayList<>();
      String rest = head.substring(head.indexOf("\r\n\r\n") + 4);
      StringBuilder body = new StringBuilder(rest);
      boolean changed = false;
      while (!body.toString().contains("\r\n0\r\n\r\n") && !body.toString().startsWith("0\r\n\r\n")) {
        if (!changed && body.toString().contains("initial-events-end")) {
          cluster.objects().create(ResourceTypes.NODES, node("n3"));
          changed = true;
        }
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        if (n < 0) break;
        body.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
      }
      for (String line : body.toString().split("\r\n")) {
        if (line.startsWith("{")) {
          var event = JSON.readTree(line);
          events.add(event.path("type").asText() + " " + event.path("object").path("metadata").path("name").asText(
              event.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText()));
        }
      }
      assertEquals(List.of("ADDED n1", "ADDED n2", "BOOKMARK true", "ADDED n3"), events);

      send(socket, "GET /api/v1/nodes");
      String list = readUntil(in, "200 OK");
      assertTrue(list.contains("200 OK"), list);
    }

    // a watch from a resourceVersion the history no longer reaches: 200, then an ERROR event with 410 Expired
    long old = cluster.objects().resourceVersion();
    for (int i = 0; i <= ObjectStore.DEFAULT_HISTORY; i++) {
      cluster.objects().patch(ResourceTypes.NODES, null, "n1", ObjectStore.PatchFormat.MERGE_PATCH,
          "{\"metadata\":{\"labels\":{\"i\":\"" + i + "\"}}}");
    }
    try (Socket socket = tlsSocket(cluster, true)) {
      socket.setSoTimeout(20_000);
      send(socket, "GET /api/v1/nodes?watch=true&resourceVersion=" + old);
      String response = readUntil(socket.getInputStream(), "\r\n0\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
      assertTrue(response.contains("\"type\":\"ERROR\""), response);
      assertTrue(response.contains("\"code\":410") && response.contains("Expired"), response);
    }
  }

  @Test
  void aWatchClientThatReadsNothingIsCutOffInsteadOfBufferedWithoutBound() throws Exception {
    SimulatedCluster cluster = clusters.getOrCreate("default", "c1", 0);
    cluster.startApiServer("kube-apiserver-c1-cp-1", ca);
    cluster.objects().create(ResourceTypes.NODES, node("n1"));
    try (Socket socket = tlsSocket(cluster, true)) {
      send(socket, "GET /api/v1/nodes?watch=true&resourceVersion=" + cluster.objects().resourceVersion());
      String big = "x".repeat(256 * 1024);
      long written = 0;
      // 32 MiB of events while the client reads nothing: twice what a watch may hold back
      for (int i = 0; i < 128; i++) {
        cluster.objects().patch(ResourceTypes.NODES, null, "n1", ObjectStore.PatchFormat.MERGE_PATCH,
            "{\"metadata\":{\"annotations\":{\"big\":\"" + i + big + "\"}}}");
        written += big.length();
      }
      socket.setSoTimeout(20_000);
      long read = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) read += n;
      assertTrue(read < written, "the server closed the watch (" + read + " of " + written + " bytes read)");
    }
  }

  @Test
  void fabric8WatchesOverWebSocket() throws Exception {
    SimulatedCluster cluster = clusters.getOrCreate("default", "c1", 0);
    cluster.startApiServer("kube-apiserver-c1-cp-1", ca);
    try (KubernetesClient client = client(cluster, ca)) {
      BlockingQueue<String> seen = new LinkedBlockingQueue<>();
      // fabric8's plain watch asks for a WebSocket upgrade, as kube-apiserver allows
      try (var watch = client.nodes().watch(new io.fabric8.kubernetes.client.Watcher<Node>() {
        @Override
        public void eventReceived(Action action, Node node) {
          seen.add(action + " " + node.getMetadata().getName());
        }

        @Override
        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
          seen.add("closed");
        }
      })) {
        cluster.objects().create(ResourceTypes.NODES, node("n1"));
        assertEquals("ADDED n1", seen.poll(20, TimeUnit.SECONDS));
        cluster.objects().delete(ResourceTypes.NODES, null, "n1");
        assertEquals("DELETED n1", seen.poll(20, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void eachClusterHasItsOwnPortAndRemovingOneFreesIt() throws Exception {
    SimulatedCluster a = clusters.getOrCreate("ns1", "a", 0);
    SimulatedCluster b = clusters.getOrCreate("ns2", "b", 0);
    assertSame(a, clusters.getOrCreate("ns1", "a", 0), "getOrCreate is idempotent");
    assertSame(b, clusters.find("ns2", "b").orElseThrow());
    assertNotEquals(a.port(), b.port());
    CertificateKeyPair caB = CertificateIssuer.selfSignedCa(KeyAlgorithm.ECDSA_P256, null);
    a.startApiServer("kube-apiserver-a", ca);
    b.startApiServer("kube-apiserver-b", caB);
    a.objects().create(ResourceTypes.NODES, node("a-node"));
    b.objects().create(ResourceTypes.NODES, node("b-node"));
    try (KubernetesClient clientA = client(a, ca); KubernetesClient clientB = client(b, caB)) {
      assertEquals(List.of("a-node"), clientA.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList());
      assertEquals(List.of("b-node"), clientB.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList());
    }

    int portA = a.port();
    clusters.remove("ns1", "a");
    assertTrue(clusters.find("ns1", "a").isEmpty());
    assertFalse(portTaken(portA), "the port of a removed cluster is free");

    // a restart names the port its endpoint has: the cluster gets it back, empty
    SimulatedCluster again = clusters.getOrCreate("ns1", "a", portA);
    assertEquals(portA, again.port());
    assertTrue(again.objects().list(ResourceTypes.NODES, null, null).isEmpty());

    // a port in use is refused with its number
    IllegalStateException taken =
        assertThrows(IllegalStateException.class, () -> clusters.getOrCreate("ns3", "c", b.port()));
    assertTrue(taken.getMessage().contains(String.valueOf(b.port())), taken.getMessage());
  }

  @Test
  void portsInUseAreSkippedAndAnExhaustedRangeIsAnError() throws Exception {
    try (ServerSocket someoneElse = new ServerSocket()) {
      // a port of this test's range, below the kernel's ephemeral ports: a port the kernel hands out (bind to 0) has
      // neighbours any outgoing connection on the machine may take at any moment (CI failed so once)
      int busy = minPort;
      while (portTaken(busy) || portTaken(busy + 1)) busy += 2;
      someoneElse.bind(new InetSocketAddress(InetAddress.getByName(HOST), busy));
      try (SimulatedClusters small = new SimulatedClusters(HOST, busy, busy + 1)) {
        SimulatedCluster first = small.getOrCreate("ns", "first", 0);
        assertEquals(busy + 1, first.port(), "the port someone else holds is skipped");
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> small.getOrCreate("ns", "second", 0));
        assertTrue(full.getMessage().contains("no free port"), full.getMessage());
        small.remove("ns", "first");
        assertEquals(busy + 1, small.getOrCreate("ns", "third", 0).port(), "the search wraps around");
      }
    }
  }

  @Test
  void theRemovedClustersPortCanBeTakenAgainAtOnce() {
    int port = minPort;
    while (portTaken(port)) port++;
    try (SimulatedClusters onePort = new SimulatedClusters(HOST, port, port)) {
      // a cluster deleted and created again (or its provider restarted) asks for its endpoint's port right away
      for (int round = 0; round < 200; round++) {
        assertEquals(port, onePort.getOrCreate("ns", "c" + round, 0).port(), "round " + round);
        onePort.remove("ns", "c" + round);
      }
    }
  }

  // --- helpers ---

  static KubernetesClient client(SimulatedCluster cluster, CertificateKeyPair ca) {
    Config config = Config.fromKubeconfig(AdminKubeconfig.generate(cluster.name(),
        AdminKubeconfig.server(cluster.host(), cluster.port()), ca, KeyAlgorithm.ECDSA_P256));
    config.setRequestRetryBackoffLimit(0);
    config.setRequestTimeout(10_000);
    config.setConnectionTimeout(10_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static ObjectNode node(String name) {
    ObjectNode node = JSON.createObjectNode();
    node.put("apiVersion", "v1");
    node.put("kind", "Node");
    node.putObject("metadata").put("name", name);
    return node;
  }

  private static String poll(BlockingQueue<String> seen, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String event;
    // informers resync and may repeat an update; the first event of the kind asked for is the one
    while ((event = seen.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
      if (event.startsWith(prefix)) return event;
    }
    return null;
  }

  private static String b64(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static boolean portTaken(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** True when a TCP connection is accepted but closed before a TLS handshake completes. */
  private boolean closedAtOnce(SimulatedCluster cluster) throws Exception {
    try (Socket socket = tlsSocket(cluster, false)) {
      socket.setSoTimeout(10_000);
      ((SSLSocket) socket).startHandshake();
      return false;
    } catch (IOException e) {
      return !(e instanceof java.net.SocketTimeoutException) && !(e instanceof java.net.ConnectException);
    }
  }

  /** A TLS socket to the cluster trusting its CA, with the admin client certificate when {@code handshake}. */
  private Socket tlsSocket(SimulatedCluster cluster, boolean handshake) throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca.certificate());
    trust.init(trusted);
    javax.net.ssl.KeyManager[] keys = null;
    if (handshake) {
      CertificateKeyPair admin = CertificateIssuer.adminClientCertificate(ca, KeyAlgorithm.ECDSA_P256);
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("admin", admin.privateKey(), new char[0],
          new java.security.cert.Certificate[] {admin.certificate()});
      javax.net.ssl.KeyManagerFactory kmf =
          javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, new char[0]);
      keys = kmf.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(cluster.host(), cluster.port());
    if (handshake) socket.startHandshake();
    return socket;
  }

  private static void send(Socket socket, String requestLine) throws IOException {
    socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Reads until {@code marker} was seen (null: until the end of the stream); what was read. */
  private static String readUntil(InputStream in, String marker) throws IOException {
    StringBuilder read = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (marker == null || !read.toString().contains(marker) || !read.toString().contains("\r\n\r\n")) {
      int n = in.read(buffer);
      if (n < 0) {
        if (marker == null) return read.toString();
        throw new IOException("end of stream before " + marker + ": " + read);
      }
      read.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    return read.toString();
  }
}
