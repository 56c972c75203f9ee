package io.capdjava.docker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLimitsTest {
  @Test
  void theFlagOverridesWhatWasReadAndBadValuesNameTheFlag() {
    ContainerLimits service = new ContainerLimits(20000, 32768);
    assertEquals(new ContainerLimits(4096, 32768), ContainerLimits.parse("nofile=4096", service));
    assertEquals(new ContainerLimits(4096, 1000), ContainerLimits.parse("nofile=4096, nproc=1000", null));
    for (String bad : new String[] {"nofile", "nofile=-1", "nofile=many", "memlock=10"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ContainerLimits.parse(bad, service));
      assertTrue(e.getMessage().startsWith("--podman-limits: "), e.getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ContainerLimits.parse("nofile=4096", null))
        .getMessage().contains("give both nofile and nproc"));
  }

  /** The service is found as the process holding the listening socket bound to the path. */
  @Test
  void theLimitsAreThoseOfTheProcessListeningOnTheSocket(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("net/unix"), String.join("\n",
        "Num       RefCount Protocol Flags    Type St Inode Path",
        "0000000000000000: 00000003 00000000 00000000 0001 03 41 /run/podman/podman.sock",
        "0000000000000000: 00000002 00000000 00010000 0001 01 42 /run/podman/podman.sock",
        "0000000000000000: 00000002 00000000 00010000 0001 01 43 /run/other.sock", ""));
    process(proc, "100", "socket:[43]", 1024, 1024);
    process(proc, "200", "socket:[42]", 20000, 32768);
    assertEquals(Optional.of(new ContainerLimits(20000, 32768)),
        ContainerLimits.ofListeningProcess(proc, "/run/podman/podman.sock"));
    assertEquals(Optional.empty(), ContainerLimits.ofListeningProcess(proc, "/run/none.sock"));
  }

  private static void process(Path proc, String pid, String socket, long nofile, long nproc) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(pid).resolve("fd"));
    Files.createSymbolicLink(dir.resolve("3"), Path.of(socket));
    Files.writeString(proc.resolve(pid).resolve("limits"), String.join("\n",
        "Limit                     Soft Limit           Hard Limit           Units     ",
        "Max processes             " + nproc + "                " + nproc + "                processes ",
        "Max open files            " + nofile + "                " + nofile + "                files     ", ""));
  }
}
