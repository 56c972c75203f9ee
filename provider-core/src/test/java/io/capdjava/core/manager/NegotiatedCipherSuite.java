package io.capdjava.core.manager;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A process of its own for {@link TlsCipherPreferenceTest}: applies the preference as a provider's main does, before
 * any TLS, connects to {@code host port} and prints the negotiated protocol and cipher suite.
 */
public final class NegotiatedCipherSuite {
  private NegotiatedCipherSuite() {}

  public static void main(String[] args) throws Exception {
    TlsCipherPreference.applyForThisJit();
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
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
      socket.startHandshake();
      System.out.println(socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite());
    }
  }
}
