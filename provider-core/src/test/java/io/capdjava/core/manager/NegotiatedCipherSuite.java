package io.capdjava.core.manager;

import io.capdjava.testenv.ProviderEndpoints;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A process of its own for {@link TlsCipherPreferenceTest}: applies the preference as a provider's main does, before
 * any TLS, connects to {@code host port} and prints the negotiated protocol and cipher suite.
 */
public final class NegotiatedCipherSuite {
  private NegotiatedCipherSuite() {}

  public static void main(String[] args) throws Exception {
    TlsCipherPreference.applyForThisJit();
    SSLContext context = ProviderEndpoints.trustingAll();
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
      socket.startHandshake();
      System.out.println(socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite());
    }
  }
}
