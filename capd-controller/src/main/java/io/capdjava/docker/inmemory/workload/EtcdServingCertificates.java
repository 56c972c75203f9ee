package io.capdjava.docker.inmemory.workload;

import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLException;

/**
 * The server TLS contexts etcd members serve their client port with: a serving certificate issued from the cluster's
 * etcd CA for the member (as kubeadm's {@code etcd/server} certificate names it: the node, {@code localhost} and the
 * loopback addresses), client certificates issued by that CA required. Issued once per member and CA, not per
 * port-forward; kept only as long as the cluster is.
 */
final class EtcdServingCertificates {
  /** Fast to make, and both Go and the JDK accept it. */
  private static final KeyAlgorithm KEY_ALGORITHM = KeyAlgorithm.ECDSA_P256;

  private record Issued(String caCertificate, SslContext context) {}

  // weak: a cluster that is gone takes its members' contexts with it
  private static final Map<SimulatedCluster, Map<String, Issued>> BY_CLUSTER = new WeakHashMap<>();

  private EtcdServingCertificates() {}

  /** The TLS context of the member a pod runs, issued from {@code etcdCa} on first use (and again when it changes). */
  static SslContext serverContext(SimulatedCluster cluster, String podName, String memberName,
      CertificateKeyPair etcdCa) {
    synchronized (BY_CLUSTER) {
      Map<String, Issued> members = BY_CLUSTER.computeIfAbsent(cluster, c -> new HashMap<>());
      Issued issued = members.get(podName);
      if (issued == null || !issued.caCertificate().equals(etcdCa.cert())) {
        issued = new Issued(etcdCa.cert(), newServerContext(etcdCa, memberName));
        members.put(podName, issued);
      }
      return issued.context();
    }
  }

  static SslContext newServerContext(CertificateKeyPair etcdCa, String memberName) {
    if (!etcdCa.hasKey()) {
      throw new IllegalArgumentException("the etcd CA has no private key: cannot issue the serving certificate of"
          + " etcd member " + memberName);
    }
    CertificateKeyPair serving = CertificateIssuer.servingCertificate(etcdCa,
        List.of(memberName, "localhost", "127.0.0.1", "::1"), KEY_ALGORITHM);
    try {
      return SslContextBuilder.forServer(serving.privateKey(), serving.certificate(), etcdCa.certificate())
          .sslProvider(SslProvider.JDK)
          .trustManager(etcdCa.certificate())
          .clientAuth(ClientAuth.REQUIRE)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot make the TLS context of etcd member " + memberName, e);
    }
  }
}
