package io.capdjava.docker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inotify check before a node container is made: on this host's /proc, and on a /proc laid out for each case. */
class HostLimitsTest {
  @Test
  void onThisHostTheInstancesInUseAreCountedAndTheLimitRead() throws Exception {
    HostLimits host = HostLimits.forEngine(null);
    long used = host.inotifyInstancesInUse();
    assertTrue(used > 0, "this JVM's host has processes holding inotify instances (systemd, dockerd, ...): " + used);
    long max = Long.parseLong(new ProcessBuilder("cat", "/proc/sys/fs/inotify/max_user_instances").start()
        .inputReader().readLine().strip());
    assertEquals(max, HostLimits.read(Path.of("/proc/sys/fs/inotify/max_user_instances")),
        "the limit read in full (512 is not 5)");
    assertEquals(max - used < HostLimits.INOTIFY_INSTANCES_PER_NODE, host.shortfallForOneMoreNode().isPresent());
    assertTrue(HostLimits.forEngine("tcp://10.0.0.1:2376").shortfallForOneMoreNode().isEmpty(),
        "a remote engine's host is not this one: nothing is checked");
  }

  @Test
  void aNodeThatWouldNotFitIsReportedNamingTheLimitAndTheCommand(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("sys/fs/inotify"));
    Path fds = Files.createDirectories(proc.resolve("4242/fd"));
    for (int i = 0; i < 110; i++) Files.createSymbolicLink(fds.resolve(String.valueOf(i)), Path.of("anon_inode:inotify"));
    Files.createSymbolicLink(fds.resolve("999"), Path.of("/dev/null"));

    Files.writeString(proc.resolve("sys/fs/inotify/max_user_instances"), "128\n");
    String shortfall = new HostLimits(proc).shortfallForOneMoreNode().orElseThrow();
    assertTrue(shortfall.contains("allows 128 inotify instances (fs.inotify.max_user_instances) and 110 are in use"),
        shortfall);
    assertTrue(shortfall.contains("sysctl -w fs.inotify.max_user_instances=512"), shortfall);

    Files.writeString(proc.resolve("sys/fs/inotify/max_user_instances"), "512\n");
    assertTrue(new HostLimits(proc).shortfallForOneMoreNode().isEmpty());
  }

  @Test
  void nodesMadeInQuickSuccessionAreRefusedOnceTheLimitIsReached(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("sys/fs/inotify"));
    Files.writeString(proc.resolve("sys/fs/inotify/max_user_instances"), "100\n");
    Path fds = Files.createDirectories(proc.resolve("4242/fd"));
    for (int i = 0; i < 40; i++) Files.createSymbolicLink(fds.resolve(String.valueOf(i)), Path.of("anon_inode:inotify"));
    HostLimits host = new HostLimits(proc);

    assertTrue(host.shortfallForOneMoreNode().isEmpty(), "40 of 100 in use: room for two nodes");
    // the first node takes its instances; the last count (40) and one node since (27) still leave room for another
    for (int i = 40; i < 67; i++) Files.createSymbolicLink(fds.resolve(String.valueOf(i)), Path.of("anon_inode:inotify"));
    assertTrue(host.shortfallForOneMoreNode().isEmpty(), "the second node, on the last count");
    // two nodes since the count leave no room on the estimate: counted again, and the real count says so too
    for (int i = 67; i < 94; i++) Files.createSymbolicLink(fds.resolve(String.valueOf(i)), Path.of("anon_inode:inotify"));
    String shortfall = host.shortfallForOneMoreNode().orElseThrow();
    assertTrue(shortfall.contains("allows 100 inotify instances (fs.inotify.max_user_instances) and 94 are in use"),
        shortfall);
  }
}
