package io.capdjava.testenv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * GETs a provider's probe or metrics endpoint as the kubelet or a Prometheus scraper would. The metrics certificate
 * is self-signed, as controller-runtime's is when given none, so (like in-cluster scrapers) this does not verify it.
 */
public final class ProviderEndpoints {
  private static final HttpClient CLIENT = HttpClient.newBuilder().sslContext(trustingAll())
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ProviderEndpoints() {}

  /** GET {@code url}, with {@code Authorization: Bearer token} unless token is null. */
  public static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one series ({@code name{labels}}) in a Prometheus text page; -1 when it is absent. */
  public static double sample(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElse(-1.0);
  }

  /** A TLS context that accepts any server certificate: the providers' endpoints serve self-signed ones. */
  public static SSLContext trustingAll() {
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
