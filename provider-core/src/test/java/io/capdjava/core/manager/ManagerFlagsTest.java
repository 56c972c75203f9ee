package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.core.manager.ManagerFlags.UsageException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManagerFlagsTest {
  private static ManagerFlags flags() {
    return ManagerFlags.forManager("test-manager", "test-lease", 7).option("extra", "x", "a provider's own flag");
  }

  @Test
  void defaultsAreUpstreamManagersDefaults() {
    ManagerOptions options = flags().parse().options();
    assertEquals(Set.of(), options.namespaces());
    assertEquals(7, options.concurrency());
    assertEquals(Optional.empty(), options.leaderElection(), "leader election is off unless --leader-elect");
    assertEquals(Optional.of(new InetSocketAddress(9440)), options.healthAddress());
    assertEquals(Optional.of(new InetSocketAddress(8443)), options.diagnosticsAddress());
    assertFalse(options.insecureDiagnostics(), "metrics are authenticated unless --insecure-diagnostics");
  }

  @Test
  void theArgumentsOfOurComponentsYamlAndOfUpstreamsDeploymentParse() {
    ManagerFlags.Parsed parsed = flags().parse("--leader-elect", "--diagnostics-address=:8443",
        "--insecure-diagnostics=false", "--namespace", "team-a", "--extra=y", "--concurrency=3");
    ManagerOptions options = parsed.options();
    assertEquals("y", parsed.get("extra"));
    assertEquals(Set.of("team-a"), options.namespaces());
    assertEquals(3, options.concurrency());
    ManagerOptions.LeaderElection election = options.leaderElection().orElseThrow();
    assertEquals("test-lease", election.leaseName());
    assertEquals(Duration.ofSeconds(15), election.leaseDuration());
    assertEquals(Duration.ofSeconds(10), election.renewDeadline());
    assertEquals(Duration.ofSeconds(2), election.retryPeriod());
  }

  @Test
  void zeroTurnsAnEndpointOffAndPortZeroAsksForAFreePort() {
    ManagerOptions options = flags().parse("--health-addr=0", "--diagnostics-address=127.0.0.1:0").options();
    assertEquals(Optional.empty(), options.healthAddress());
    assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 0)), options.diagnosticsAddress());
    assertEquals(Optional.of(new InetSocketAddress("::1", 9440)),
        flags().parse("--health-addr=[::1]:9440").options().healthAddress());
  }

  @Test
  void badInputNamesTheFlag() {
    assertMessage("unknown flag --leader-election", "--leader-election");
    assertMessage("--concurrency: must be a whole number above 0, not \"0\"", "--concurrency=0");
    assertMessage("--leader-elect: must be true or false, not \"yes\"", "--leader-elect=yes");
    assertMessage("flag needs an argument: --namespace", "--namespace");
    assertMessage("--health-addr: \"9440\" is not host:port (e.g. :9440)", "--health-addr=9440");
    assertMessage("--diagnostics-address: \":http\" has no valid port", "--diagnostics-address=:http");
    assertMessage("--leader-elect-renew-deadline (20s) must be shorter than --leader-elect-lease-duration (15s)",
        "--leader-elect", "--leader-elect-renew-deadline=20s");
    assertMessage("--leader-elect-lease-duration: 'fast' is not a duration such as 5m or 90s", "--leader-elect",
        "--leader-elect-lease-duration=fast");
    assertMessage("unexpected argument run", "run");
  }

  @Test
  void usageListsEveryFlagWithItsDefault() {
    String usage = flags().usage();
    assertTrue(usage.contains("--leader-election-id value\n        name of the Lease the replicas compete for "
        + "(default test-lease)"), usage);
    assertTrue(usage.contains("--extra value"), usage);
    assertTrue(usage.contains("--insecure-diagnostics\n"), usage);
  }

  private static void assertMessage(String expected, String... args) {
    UsageException e = assertThrows(UsageException.class, () -> flags().parse(args).options());
    assertEquals(expected, e.getMessage());
  }
}
