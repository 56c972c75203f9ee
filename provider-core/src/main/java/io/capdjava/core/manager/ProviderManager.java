package io.capdjava.core.manager;

import com.sun.net.httpserver.HttpExchange;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.ReconcileBackoff;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider process around its JOSDK controllers, as controller-runtime's manager is around upstream's: optional
 * leader election on a Lease (followers keep their caches warm and take over when the leader's lease runs out, or at
 * once when it shuts down cleanly and releases it), /healthz and /readyz for the kubelet's probes, and /metrics.
 */
public final class ProviderManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderManager.class);
  /** How long the start waits for its first answer from the API server ({@link #openTheConnection}). */
  private static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final ManagerOptions options;
  private final String identity;
  private final ReconcileMetrics metrics;
  private final Operator operator;
  private final SharedInformers informers;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private volatile boolean closing;
  private EndpointServer health;
  private EndpointServer diagnostics;

  public ProviderManager(KubernetesClient client, ManagerOptions options) {
    this.client = client;
    this.options = options;
    this.identity = hostName() + "_" + UUID.randomUUID();
    this.metrics = new ReconcileMetrics(options.concurrency());
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withConcurrentReconciliationThreads(options.concurrency())
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withMetrics(metrics);
      options.leaderElection().ifPresent(election -> o.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration(election.leaseName(), election.leaseNamespace(), election.leaseDuration(),
              election.renewDeadline(), election.retryPeriod(), identity,
              new LeaderCallbacks(this::startedLeading, this::stoppedLeading, leader -> {}),
              // we decide what losing the lease means (stoppedLeading): JOSDK would System.exit inside stop()
              false)));
    });
    // closed after the controllers have stopped, with the other resources
    this.informers = closeOnStop(new SharedInformers(client, options.namespaces()));
  }

  /** The informers of kinds several controllers watch besides their own, one per kind for the process. */
  public SharedInformers informers() {
    return informers;
  }

  /** Closes {@code resource} (a client cache the controllers share, say) when the manager closes. */
  public <T extends AutoCloseable> T closeOnStop(T resource) {
    resources.add(resource);
    return resource;
  }

  /**
   * Registers a controller, limited to the watched namespaces and retrying failures with {@link ReconcileBackoff};
   * before {@link #start()}.
   */
  public <R extends HasMetadata> void register(Reconciler<R> reconciler) {
    operator.register(reconciler, c -> {
      c.withRetry(ReconcileBackoff.retry());
      if (!options.namespaces().isEmpty()) c.settingNamespaces(options.namespaces());
    });
  }

  /**
   * Serves the endpoints, then starts the controllers: returns when their caches are filled (and, with leader
   * election, reconciling has begun only if this replica leads).
   */
  public void start() {
    options.healthAddress().ifPresent(address -> {
      health = EndpointServer.http(address, "health-probes")
          .route("/healthz", exchange -> EndpointServer.respond(exchange, 200, "text/plain; charset=utf-8", "ok"))
          .route("/readyz", this::serveReadiness)
          .start();
      resources.add(health);
    });
    options.diagnosticsAddress().ifPresent(address -> {
      diagnostics = (options.insecureDiagnostics() ? EndpointServer.http(address, "metrics")
          : EndpointServer.https(address, "metrics"))
          .route("/metrics", new MetricsEndpoint()::serve)
          .start();
      resources.add(diagnostics);
    });
    openTheConnection();
    operator.start();
    LOG.info("controllers started: namespaces {}, {} at once, leader election {}, probes {}, metrics {}",
        options.namespaces().isEmpty() ? "all" : options.namespaces(), options.concurrency(),
        options.leaderElection().map(e -> "on Lease " + leaseNamespace() + "/" + e.leaseName() + " as " + identity)
            .orElse("off"),
        healthAddress().map(a -> "http://" + hostPort(a) + "/healthz,/readyz").orElse("off"),
        diagnosticsAddress().map(a -> (options.insecureDiagnostics() ? "http://" : "https://") + hostPort(a) + "/metrics"
            + (options.insecureDiagnostics() ? " (no authentication)" : " (bearer token allowed to GET /metrics)"))
            .orElse("off"));
  }

  /**
   * One request before the controllers start, so that the client's HTTP/2 connection to the API server exists when
   * their informers list and watch at once: the JDK's client opens a connection for every request made while none is
   * established yet (measured: 10 connections, 10 TLS handshakes with the client key, 9 of them closed at once).
   * Waited for a few seconds at most (the client retries an unanswered request for longer): a failure is left to the
   * informers, which report it.
   */
  private void openTheConnection() {
    try {
      CompletableFuture.runAsync(client::getKubernetesVersion).get(CONNECTION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("the API server did not answer before the controllers start: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public Optional<InetSocketAddress> healthAddress() {
    return Optional.ofNullable(health).map(EndpointServer::address);
  }

  public Optional<InetSocketAddress> diagnosticsAddress() {
    return Optional.ofNullable(diagnostics).map(EndpointServer::address);
  }

  /** Whether this replica reconciles: it holds the lease, or there is no election. */
  public boolean isLeading() {
    return options.leaderElection().isEmpty() || leading.get();
  }

  public String identity() {
    return identity;
  }

  private void startedLeading() {
    leading.set(true);
    LOG.info("acquired Lease {}/{}: reconciling", leaseNamespace(), options.leaderElection().orElseThrow().leaseName());
  }

  private void stoppedLeading() {
    leading.set(false);
    if (closing) return;
    // another replica may already reconcile: stop at once, as controller-runtime does, and let the kubelet restart us
    LOG.error("lost Lease {}/{}; exiting so that only the new leader reconciles", leaseNamespace(),
        options.leaderElection().orElseThrow().leaseName());
    new Thread(() -> System.exit(1), "lost-leadership").start();
  }

  private String leaseNamespace() {
    return options.leaderElection().map(ManagerOptions.LeaderElection::leaseNamespace)
        .orElseGet(() -> client.getConfiguration().getNamespace());
  }

  private void serveReadiness(HttpExchange exchange) throws IOException {
    List<String> notReady = Readiness.notReady(operator.getRuntimeInfo());
    if (!notReady.isEmpty()) {
      EndpointServer.respond(exchange, 500, "text/plain; charset=utf-8", "not ready: " + notReady + "\n");
    } else {
      EndpointServer.respond(exchange, 200, "text/plain; charset=utf-8", "ok");
    }
  }

  /** /metrics: what the reconciles did, leadership, and the process. */
  private final class MetricsEndpoint {
    private final MetricsAccessReview access = new MetricsAccessReview(client);

    void serve(HttpExchange exchange) throws IOException {
      if (!options.insecureDiagnostics()) {
        MetricsAccessReview.Decision decision;
        try {
          decision = access.review(exchange.getRequestHeaders().getFirst("Authorization"), "/metrics");
        } catch (KubernetesClientException e) {
          LOG.warn("cannot review access to /metrics: {}", e.getMessage());
          EndpointServer.respond(exchange, 500, "text/plain; charset=utf-8", "cannot review access\n");
          return;
        }
        if (decision == MetricsAccessReview.Decision.UNAUTHENTICATED) {
          EndpointServer.respond(exchange, 401, "text/plain; charset=utf-8", "Unauthorized\n");
          return;
        }
        if (decision == MetricsAccessReview.Decision.FORBIDDEN) {
          EndpointServer.respond(exchange, 403, "text/plain; charset=utf-8", "Forbidden\n");
          return;
        }
      }
      PrometheusText text = new PrometheusText();
      metrics.render(text);
      options.leaderElection().ifPresent(e -> text
          .family("leader_election_master_status", "gauge",
              "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 master.")
          .sample("leader_election_master_status", leading.get() ? 1 : 0, "name", e.leaseName()));
      PhaseDurations.render(text);
      ProcessMetrics.render(text);
      EndpointServer.respond(exchange, 200, PrometheusText.CONTENT_TYPE, text.toString());
    }
  }

  /**
   * Stops reconciling, then gives the lease up if held, so that a standby (or the next pod of a rollout) takes over
   * without waiting for it to expire.
   */
  @Override
  public void close() {
    closing = true;
    boolean wasLeading = leading.get();
    operator.stop();
    if (wasLeading) releaseLease();
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("cannot close {}: {}", resource, e.toString());
      }
    }
  }

  /** As client-go's release: an empty holder and a one-second duration, only if we still hold it (optimistic lock). */
  private void releaseLease() {
    String name = options.leaderElection().orElseThrow().leaseName();
    try {
      Lease lease = client.leases().inNamespace(leaseNamespace()).withName(name).get();
      if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) return;
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(java.time.ZonedDateTime.now());
      client.resource(lease).update();
      LOG.info("released Lease {}/{}", leaseNamespace(), name);
    } catch (KubernetesClientException e) {
      LOG.warn("cannot release Lease {}/{} (a standby takes over when it expires): {}", leaseNamespace(), name,
          e.getMessage());
    }
  }

  private static String hostPort(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isEmpty()) return fromEnv;
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
