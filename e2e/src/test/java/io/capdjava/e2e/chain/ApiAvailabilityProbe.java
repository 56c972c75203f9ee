package io.capdjava.e2e.chain;

import io.capdjava.core.certs.Pem;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a user of the workload cluster sees while its control plane changes: a background thread reads
 * {@code kube-system} through the load balancer every 200 ms, each time on a new connection (haproxy balances
 * connections, not requests), and remembers which reads failed. A read goes through an API server to etcd, so it
 * also fails while etcd has no quorum.
 */
final class ApiAvailabilityProbe implements AutoCloseable {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final int TIMEOUT_MILLIS = 2000;

  record Outcome(Instant at, boolean ok, String detail) {}

  private final URL url;
  private final SSLSocketFactory tls;
  private final List<Outcome> outcomes = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  ApiAvailabilityProbe(String kubeconfig) {
    Config config = Config.fromKubeconfig(kubeconfig);
    try {
      this.url = URI.create(config.getMasterUrl().replaceAll("/$", "") + "/api/v1/namespaces/kube-system").toURL();
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    this.tls = tls(config);
    this.thread = new Thread(this::run, "api-availability-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      Instant at = Instant.now();
      Outcome outcome;
      try {
        HttpsURLConnection c = (HttpsURLConnection) url.openConnection();
        c.setSSLSocketFactory(tls);
        c.setConnectTimeout(TIMEOUT_MILLIS);
        c.setReadTimeout(TIMEOUT_MILLIS);
        c.setRequestProperty("Connection", "close");
        int code = c.getResponseCode();
        (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
        c.disconnect();
        outcome = new Outcome(at, code == 200, "HTTP " + code);
      } catch (IOException | RuntimeException e) {
        outcome = new Outcome(at, false, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      synchronized (outcomes) {
        outcomes.add(outcome);
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  List<Outcome> outcomes() {
    synchronized (outcomes) {
      return List.copyOf(outcomes);
    }
  }

  /** The longest time from a failed read to the next successful one. */
  Duration longestOutage() {
    Duration longest = Duration.ZERO;
    Instant failingSince = null;
    for (Outcome o : outcomes()) {
      if (!o.ok() && failingSince == null) failingSince = o.at();
      if (o.ok() && failingSince != null) {
        Duration d = Duration.between(failingSince, o.at());
        if (d.compareTo(longest) > 0) longest = d;
        failingSince = null;
      }
    }
    if (failingSince != null) {
      Duration d = Duration.between(failingSince, Instant.now());
      if (d.compareTo(longest) > 0) longest = d;
    }
    return longest;
  }

  String summary() {
    List<Outcome> all = outcomes();
    long failed = all.stream().filter(o -> !o.ok()).count();
    List<String> failures = all.stream().filter(o -> !o.ok()).limit(10).map(o -> o.at() + " " + o.detail()).toList();
    return all.size() + " reads, " + failed + " failed, longest outage " + longestOutage().toMillis() + " ms"
        + (failures.isEmpty() ? "" : "; first failures: " + String.join(" | ", failures));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }

  /** The kubeconfig's client certificate, and trust in its cluster CA. */
  private static SSLSocketFactory tls(Config config) {
    try {
      String cert = decode(config.getClientCertData());
      String key = decode(config.getClientKeyData());
      X509Certificate ca = Pem.certificate(decode(config.getCaCertData()));
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", Pem.privateKey(key), new char[0], new Certificate[] {Pem.certificate(cert)});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot use the kubeconfig's credentials: " + e.getMessage(), e);
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
