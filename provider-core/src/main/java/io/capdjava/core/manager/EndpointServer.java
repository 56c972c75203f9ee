package io.capdjava.core.manager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * One small HTTP(S) server of a provider process (the health probes, the metrics). HTTPS uses a self-signed
 * certificate, as controller-runtime does when it is given none (scrapers of in-cluster metrics skip verification or
 * pin it), made at the first handshake and the same for every endpoint of the process ({@link SelfSignedServingKeys}).
 * Requests are served on one daemon thread: they are few and cheap.
 */
final class EndpointServer implements AutoCloseable {
  private final HttpServer server;

  private EndpointServer(HttpServer server) {
    this.server = server;
  }

  static EndpointServer http(InetSocketAddress address, String threadName) {
    try {
      return new EndpointServer(configure(HttpServer.create(address, 16), threadName));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  static EndpointServer https(InetSocketAddress address, String threadName) {
    try {
      HttpsServer server = HttpsServer.create(address, 16);
      server.setHttpsConfigurator(new HttpsConfigurator(selfSignedContext()));
      return new EndpointServer(configure(server, threadName));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  private static HttpServer configure(HttpServer server, String threadName) {
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    }));
    return server;
  }

  private static SSLContext selfSignedContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {SelfSignedServingKeys.PROCESS}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for the metrics endpoint", e);
    }
  }

  EndpointServer route(String path, HttpHandler handler) {
    server.createContext(path, exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          respond(exchange, 404, "text/plain; charset=utf-8", "404 page not found\n");
        } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
          respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        } else {
          handler.handle(exchange);
        }
      }
    });
    return this;
  }

  static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) exchange.getResponseBody().write(bytes);
  }

  EndpointServer start() {
    server.start();
    return this;
  }

  /** The address actually bound (a port of 0 asked for a free one). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
