package io.capdjava.docker.inmemory.workload;

import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated workload cluster: its objects, its etcd, and the listener its API server answers on. The listener is
 * bound when the cluster is made (so its port is the cluster's from the start) but serves only while at least one API
 * server runs ({@link #startApiServer}); until then connections are closed at once, as a control plane endpoint with no
 * API server behind it. Etcd members are reached by port-forward to their pods {@code kube-system/etcd-<node>}, with
 * serving certificates from the etcd CA.
 */
public final class SimulatedCluster {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedCluster.class);
  /** The version {@code /version} answers until {@link #setKubernetesVersion} says otherwise. */
  public static final String DEFAULT_KUBERNETES_VERSION = "v1.34.4";
  /** The key of the API server's serving certificate (fast to make; Go and the JDK both accept it). */
  private static final KeyAlgorithm SERVING_KEY_ALGORITHM = KeyAlgorithm.ECDSA_P256;

  private final String namespace;
  private final String name;
  private final ObjectStore objects = new ObjectStore();
  private final SimulatedEtcd etcd = new SimulatedEtcd();
  private final ApiRequests apiRequests = new ApiRequests(objects, DEFAULT_KUBERNETES_VERSION);
  private final Set<String> apiServers = new LinkedHashSet<>();
  private final Map<String, CertificateKeyPair> etcdCas = new ConcurrentHashMap<>();

  // the transport, set by SimulatedClusters when the listener is bound
  private volatile String host = "127.0.0.1";
  private volatile int port;
  private volatile Channel listener;
  private volatile ChannelGroup connections;

  /** Non-null while an API server runs: new connections are served with it. */
  private volatile SslContext sslContext;
  private volatile SslContext podForwardContext;
  /** The CA certificate (PEM) {@link #sslContext} was made from, to make a new one only when the CA changes. */
  private String sslContextCa;

  SimulatedCluster(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  public ObjectStore objects() {
    return objects;
  }

  public SimulatedEtcd etcd() {
    return etcd;
  }

  /** The REST semantics the listener serves. */
  ApiRequests apiRequests() {
    return apiRequests;
  }

  /** The {@code gitVersion} the API server reports ({@code /version}), e.g. {@code v1.34.4}. */
  public void setKubernetesVersion(String gitVersion) {
    apiRequests.setGitVersion(Objects.requireNonNull(gitVersion, "gitVersion"));
  }

  /** The host the API server is reached on (the control plane endpoint's host). */
  public String host() {
    return host;
  }

  /** The port of the cluster's listener (0 while none is bound). */
  public int port() {
    return port;
  }

  void bound(String host, Channel listener, ChannelGroup connections) {
    this.host = host;
    this.port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
    this.listener = listener;
    this.connections = connections;
  }

  Channel listener() {
    return listener;
  }

  ChannelGroup connections() {
    return connections;
  }

  /** The TLS context new connections are served with; null while no API server runs (connections are refused). */
  SslContext sslContext() {
    return sslContext;
  }

  /**
   * The same serving certificate for port-forwards to an API server pod: client certificates asked for, not required
   * (kube-apiserver's own TLS takes anonymous clients; KCP only reads the certificate). Null while none runs.
   */
  SslContext podForwardContext() {
    return podForwardContext;
  }

  /**
   * Starts (or keeps) the API server of a control plane node {@code podName}; the listener serves TLS with a serving
   * certificate issued from {@code clusterCa} (SANs: the host, {@code localhost}, {@code 127.0.0.1}, the
   * {@code kubernetes.default*} names) and requires client certificates issued by it.
   */
  public void startApiServer(String podName, CertificateKeyPair clusterCa) {
    Objects.requireNonNull(podName, "podName");
    Objects.requireNonNull(clusterCa, "clusterCa");
    synchronized (apiServers) {
      if (sslContext == null || !clusterCa.cert().equals(sslContextCa)) {
        if (!clusterCa.hasKey()) {
          throw new IllegalArgumentException("the cluster CA of " + namespace + "/" + name
              + " has no private key: cannot issue the API server's serving certificate");
        }
        CertificateKeyPair serving =
            CertificateIssuer.servingCertificate(clusterCa, "kube-apiserver", apiServerNames(host), SERVING_KEY_ALGORITHM);
        sslContext = serverContext(serving, clusterCa, ClientAuth.REQUIRE);
        podForwardContext = serverContext(serving, clusterCa, ClientAuth.OPTIONAL);
        sslContextCa = clusterCa.cert();
      }
      if (apiServers.add(podName)) {
        LOG.debug("API server {} of {}/{} started on {}:{}", podName, namespace, name, host, port);
      }
    }
  }

  /** Stops the API server of one node; with none left the listener stops serving (the port stays the cluster's). */
  public void stopApiServer(String podName) {
    ChannelGroup toClose = null;
    synchronized (apiServers) {
      if (!apiServers.remove(podName)) return;
      LOG.debug("API server {} of {}/{} stopped", podName, namespace, name);
      if (apiServers.isEmpty()) {
        sslContext = null;
        podForwardContext = null;
        sslContextCa = null;
        toClose = connections;
      }
    }
    if (toClose != null) toClose.close();
  }

  /** The API servers running. */
  public Set<String> apiServers() {
    synchronized (apiServers) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(apiServers));
    }
  }

  /**
   * Makes etcd member {@code podName} ({@code etcd-<node>}) answer port-forwards to its port 2379: TLS with a serving
   * certificate issued from {@code etcdCa}, client certificates issued by it required, etcd's JSON gateway behind.
   */
  public void startEtcdMember(String podName, CertificateKeyPair etcdCa) {
    etcdCas.put(Objects.requireNonNull(podName, "podName"), Objects.requireNonNull(etcdCa, "etcdCa"));
  }

  public void stopEtcdMember(String podName) {
    etcdCas.remove(podName);
  }

  /** The etcd CA member {@code podName} serves with; empty when that member is not started. */
  public Optional<CertificateKeyPair> etcdCa(String podName) {
    return Optional.ofNullable(etcdCas.get(podName));
  }

  /** Forgets the serving state (the listener is gone). */
  void unbound() {
    synchronized (apiServers) {
      apiServers.clear();
      sslContext = null;
      podForwardContext = null;
      sslContextCa = null;
    }
    listener = null;
    port = 0;
  }

  private static List<String> apiServerNames(String host) {
    List<String> names = new ArrayList<>();
    names.add(host);
    names.addAll(List.of("localhost", "127.0.0.1", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local"));
    return names.stream().distinct().toList();
  }

  /**
   * A server TLS context with a fresh serving certificate from {@code ca} for {@code names}, requiring client
   * certificates issued by {@code ca}; ALPN offers HTTP/1.1 only, so Go clients speak HTTP/1.1 (the transport has no
   * HTTP/2).
   */
  static SslContext serverContext(CertificateKeyPair serving, CertificateKeyPair ca, ClientAuth clientAuth) {
    try {
      return SslContextBuilder.forServer(serving.privateKey(), serving.certificate(), ca.certificate())
          .sslProvider(SslProvider.JDK)
          .trustManager(ca.certificate())
          .clientAuth(clientAuth)
          .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot make the TLS context of a simulated API server", e);
    }
  }
}
