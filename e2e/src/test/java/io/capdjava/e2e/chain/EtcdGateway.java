package io.capdjava.e2e.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capdjava.core.certs.Pem;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A test's own look at etcd: one call to its JSON gateway on a member's client port. */
final class EtcdGateway {
  private EtcdGateway() {}

  static JsonNode post(String ip, String caPem, String certPem, String keyPem, String path) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", Pem.privateKey(keyPem), new char[0], new Certificate[] {Pem.certificate(certPem)});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.certificate(caPem));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    // the member's serving certificate names its address
    HttpsURLConnection c = (HttpsURLConnection) URI.create("https://" + ip + ":2379" + path).toURL().openConnection();
    c.setSSLSocketFactory(tls.getSocketFactory());
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
    int code = c.getResponseCode();
    byte[] body = (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
    if (code != 200) throw new IllegalStateException("etcd " + path + ": HTTP " + code + " " + new String(body, StandardCharsets.UTF_8));
    return new ObjectMapper().readTree(body);
  }
}
