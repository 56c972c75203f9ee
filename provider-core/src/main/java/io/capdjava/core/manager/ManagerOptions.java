package io.capdjava.core.manager;

import io.capdjava.core.GoDuration;
import io.capdjava.core.manager.ManagerFlags.UsageException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How a provider process runs: which namespaces it watches, how many objects it reconciles at once, whether it elects
 * a leader first, and where it serves its health probes and metrics (empty: not served).
 */
public record ManagerOptions(
    Set<String> namespaces,
    int concurrency,
    Optional<LeaderElection> leaderElection,
    Optional<InetSocketAddress> healthAddress,
    Optional<InetSocketAddress> diagnosticsAddress,
    boolean insecureDiagnostics) {

  /** The Lease the replicas of one provider compete for; a null namespace means the pod's own. */
  public record LeaderElection(
      String leaseName, String leaseNamespace, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {}

  /** A provider inside another process (the tests): no leader election, no endpoints. */
  public static ManagerOptions embedded(String namespace, int concurrency) {
    return new ManagerOptions(namespace == null || namespace.isEmpty() ? Set.of() : Set.of(namespace), concurrency,
        Optional.empty(), Optional.empty(), Optional.empty(), true);
  }

  public static ManagerOptions from(ManagerFlags.Parsed flags) {
    Optional<LeaderElection> election = Optional.empty();
    if (flags.toggle(ManagerFlags.LEADER_ELECT)) {
      Duration lease = duration(flags, ManagerFlags.LEASE_DURATION);
      Duration renew = duration(flags, ManagerFlags.RENEW_DEADLINE);
      Duration retry = duration(flags, ManagerFlags.RETRY_PERIOD);
      // client-go's rules: the leader must give up before a follower may take over, and retry within the deadline
      if (renew.compareTo(lease) >= 0) {
        throw new UsageException("--" + ManagerFlags.RENEW_DEADLINE + " (" + flags.get(ManagerFlags.RENEW_DEADLINE)
            + ") must be shorter than --" + ManagerFlags.LEASE_DURATION + " (" + flags.get(ManagerFlags.LEASE_DURATION)
            + ")");
      }
      if (retry.multipliedBy(12).compareTo(renew.multipliedBy(10)) >= 0) {
        throw new UsageException("--" + ManagerFlags.RETRY_PERIOD + " (" + flags.get(ManagerFlags.RETRY_PERIOD)
            + ") times 1.2 must be shorter than --" + ManagerFlags.RENEW_DEADLINE);
      }
      String leaseName = flags.optional(ManagerFlags.LEADER_ELECTION_ID)
          .orElseThrow(() -> new UsageException("--" + ManagerFlags.LEADER_ELECTION_ID + " must not be empty"));
      String namespace = flags.optional(ManagerFlags.LEADER_ELECTION_NAMESPACE)
          .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")).filter(n -> !n.isEmpty())).orElse(null);
      election = Optional.of(new LeaderElection(leaseName, namespace, lease, renew, retry));
    }
    return new ManagerOptions(
        flags.optional(ManagerFlags.NAMESPACE).map(Set::of).orElse(Set.of()),
        flags.positiveInt(ManagerFlags.CONCURRENCY),
        election,
        listenAddress(flags, ManagerFlags.HEALTH_ADDRESS),
        listenAddress(flags, ManagerFlags.DIAGNOSTICS_ADDRESS),
        flags.toggle(ManagerFlags.INSECURE_DIAGNOSTICS));
  }

  private static Duration duration(ManagerFlags.Parsed flags, String name) {
    try {
      Duration d = GoDuration.parse(flags.get(name));
      if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("must be more than 0");
      return d;
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + name + ": " + e.getMessage());
    }
  }

  /** Go's listen addresses: ":9440" (all interfaces), "127.0.0.1:0" (a free port), "[::1]:8443"; "0" or "" for none. */
  static Optional<InetSocketAddress> listenAddress(ManagerFlags.Parsed flags, String name) {
    String value = flags.get(name);
    if (value.isEmpty() || value.equals("0")) return Optional.empty();
    int colon = value.lastIndexOf(':');
    if (colon < 0) throw new UsageException("--" + name + ": \"" + value + "\" is not host:port (e.g. :9440)");
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) throw new UsageException("--" + name + ": \"" + value + "\" has no valid port");
    return Optional.of(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
  }
}
