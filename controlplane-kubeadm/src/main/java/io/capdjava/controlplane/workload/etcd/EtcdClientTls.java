package io.capdjava.controlplane.workload.etcd;

import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The TLS identity KCP uses towards a workload cluster's etcd (upstream {@code GetWorkloadCluster}): a client
 * certificate issued from the {@code <cluster>-etcd} CA (CN cluster-api.x-k8s.io, ten years), and trust in exactly that
 * CA for the server. The client key lives only in memory.
 */
public final class EtcdClientTls {
  private static final char[] IN_MEMORY = new char[0];

  private EtcdClientTls() {}

  public static SSLContext sslContext(CertificateKeyPair etcdCa, KeyAlgorithm algorithm) {
    if (!etcdCa.hasKey()) {
      throw new IllegalArgumentException("the etcd CA has no key, so KCP cannot issue itself an etcd client"
          + " certificate (etcd is external)");
    }
    CertificateKeyPair client = CertificateIssuer.etcdClientCertificate(etcdCa, algorithm);
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("etcd-client", client.privateKey(), IN_MEMORY, new Certificate[] {client.certificate()});
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, IN_MEMORY);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), new TrustManager[] {new EtcdCaTrustManager(etcdCa.certificate())},
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS towards etcd: " + e.getMessage(), e);
    }
  }
}
