package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ProviderEndpoints;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The HTTPS endpoints of a process as a scraper sees them: one self-signed certificate, TLS 1.3 and 1.2. */
class EndpointServerTest {
  @Test
  void everyHttpsEndpointOfTheProcessServesTheSameSelfSignedCertificate() throws Exception {
    InetSocketAddress anyPort = new InetSocketAddress("127.0.0.1", 0);
    try (EndpointServer first = EndpointServer.https(anyPort, "first").route("/metrics", ok("first"));
         EndpointServer second = EndpointServer.https(anyPort, "second").route("/metrics", ok("second"))) {
      first.start();
      second.start();
      X509Certificate fromFirst = handshake(first.address().getPort(), "TLSv1.3");
      X509Certificate fromSecond = handshake(second.address().getPort(), "TLSv1.2");
      assertEquals(fromFirst, fromSecond, "one certificate for the process");
      assertEquals(fromFirst.getSubjectX500Principal(), fromFirst.getIssuerX500Principal(), "self-signed");
      fromFirst.verify(fromFirst.getPublicKey());
      assertEquals("EC", fromFirst.getPublicKey().getAlgorithm());
      assertTrue(fromFirst.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("127.0.0.1")),
          "valid for the loopback address: " + fromFirst.getSubjectAlternativeNames());
      assertTrue(fromFirst.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("localhost")));
      assertEquals(List.of("first", "second"),
          List.of(get(first.address().getPort()), get(second.address().getPort())));
    }
  }

  private static com.sun.net.httpserver.HttpHandler ok(String body) {
    return exchange -> EndpointServer.respond(exchange, 200, "text/plain", body);
  }

  private static X509Certificate handshake(int port, String protocol) throws Exception {
    var sockets = ProviderEndpoints.trustingAll().getSocketFactory();
    try (SSLSocket socket = (SSLSocket) sockets.createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {protocol});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      assertEquals(protocol, socket.getSession().getProtocol());
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static String get(int port) throws Exception {
    return ProviderEndpoints.get("https://127.0.0.1:" + port + "/metrics", null).body();
  }
}
