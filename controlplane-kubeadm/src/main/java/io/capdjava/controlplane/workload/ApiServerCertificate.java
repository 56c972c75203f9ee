package io.capdjava.controlplane.workload;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The serving certificate of one node's API server, read as upstream's {@code GetAPIServerCertificateExpiry} does:
 * through a port-forward to the {@code kube-apiserver-<node>} mirror pod and a TLS handshake. The certificate is only
 * inspected, never trusted for anything, so it is not verified.
 */
final class ApiServerCertificate {
  private static final int TIMEOUT_MILLIS = 10_000;

  private ApiServerCertificate() {}

  static Instant expiry(KubernetesClient workload, String nodeName, int port) {
    String pod = "kube-apiserver-" + nodeName;
    try (LocalPortForward forward = workload.pods().inNamespace(KubeadmConfigMapProbe.NAMESPACE).withName(pod)
        .portForward(port, InetAddress.getLoopbackAddress(), 0);
        Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(forward.getLocalAddress(), forward.getLocalPort()), TIMEOUT_MILLIS);
      plain.setSoTimeout(TIMEOUT_MILLIS);
      try (SSLSocket tls = (SSLSocket) inspectOnly().getSocketFactory()
          .createSocket(plain, forward.getLocalAddress().getHostAddress(), forward.getLocalPort(), false)) {
        tls.startHandshake();
        Certificate[] chain = tls.getSession().getPeerCertificates();
        return ((X509Certificate) chain[0]).getNotAfter().toInstant();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the API server certificate of node " + nodeName + " (pod " + pod
          + ", port " + port + "): " + e.getMessage(), e);
    }
  }

  private static SSLContext inspectOnly() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
