package io.capdjava.docker.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The open-file and process limits a node or load-balancer container is created with on Podman. As root, Podman raises
 * both to 1048576 unless told otherwise, which needs CAP_SYS_RESOURCE; on hosts without it (these VMs) runc then fails
 * ("error setting rlimit type 7: operation not permitted"). Limits within the Podman service's own hard limits always
 * fit: a container on dockerd inherits dockerd's the same way. Read from the service process when its socket is on
 * this host, or configured with {@code --podman-limits=nofile=N,nproc=M}.
 */
public record ContainerLimits(long openFiles, long processes) {
  public static final String FLAG = "podman-limits";

  /** {@code nofile=N,nproc=M} (either may be left out: it is then as large as the other's source allows). */
  public static ContainerLimits parse(String value, ContainerLimits defaults) {
    long nofile = defaults == null ? -1 : defaults.openFiles, nproc = defaults == null ? -1 : defaults.processes;
    for (String part : value.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      String[] kv = p.split("=", 2);
      long n;
      try {
        n = kv.length == 2 ? Long.parseLong(kv[1].strip()) : -1;
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n <= 0) throw new IllegalArgumentException("--" + FLAG + ": \"" + p + "\" is not NAME=POSITIVE_NUMBER");
      switch (kv[0].strip()) {
        case "nofile" -> nofile = n;
        case "nproc" -> nproc = n;
        default -> throw new IllegalArgumentException(
            "--" + FLAG + ": unknown limit \"" + kv[0].strip() + "\"; the limits are nofile and nproc");
      }
    }
    if (nofile <= 0 || nproc <= 0) {
      throw new IllegalArgumentException("--" + FLAG + ": give both nofile and nproc (the Podman service's limits"
          + " could not be read here)");
    }
    return new ContainerLimits(nofile, nproc);
  }

  /**
   * The hard limits of the process listening on the unix socket {@code socketPath} (the Podman service), when it runs
   * on this host and its {@code /proc} entries are readable; else empty.
   */
  public static Optional<ContainerLimits> ofListeningProcess(String socketPath) {
    return ofListeningProcess(Path.of("/proc"), socketPath);
  }

  static Optional<ContainerLimits> ofListeningProcess(Path proc, String socketPath) {
    Set<String> inodes = listeningInodes(proc, socketPath);
    if (inodes.isEmpty()) return Optional.empty();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, p -> p.getFileName().toString()
        .chars().allMatch(Character::isDigit))) {
      for (Path process : processes) {
        if (holdsAny(process, inodes)) {
          Optional<ContainerLimits> limits = read(process.resolve("limits"));
          if (limits.isPresent()) return limits;
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The inodes of listening sockets bound to the path, from {@code /proc/net/unix}. */
  private static Set<String> listeningInodes(Path proc, String socketPath) {
    Set<String> inodes = new HashSet<>();
    try {
      for (String line : Files.readAllLines(proc.resolve("net/unix"))) {
        // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = listening
        String[] f = line.strip().split("\\s+");
        if (f.length >= 8 && f[7].equals(socketPath) && f[3].equals("00010000")) inodes.add(f[6]);
      }
    } catch (IOException e) {
      // no /proc here
    }
    return inodes;
  }

  private static boolean holdsAny(Path process, Set<String> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) return true;
        } catch (IOException | UnsupportedOperationException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | SecurityException e) {
      // ended, or not ours to see
    }
    return false;
  }

  /** The hard limits of {@code /proc/<pid>/limits}. */
  static Optional<ContainerLimits> read(Path limitsFile) {
    try {
      List<String> lines = Files.readAllLines(limitsFile);
      long nofile = hard(lines, "Max open files"), nproc = hard(lines, "Max processes");
      return nofile > 0 && nproc > 0 ? Optional.of(new ContainerLimits(nofile, nproc)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long hard(List<String> lines, String name) {
    for (String line : lines) {
      if (!line.startsWith(name)) continue;
      String[] f = line.substring(name.length()).strip().split("\\s+");
      if (f.length < 2) return -1;
      // "unlimited" is as much as the kernel allows; Podman's own default is 1048576
      return f[1].equals("unlimited") ? 1048576 : Long.parseLong(f[1]);
    }
    return -1;
  }

  @Override
  public String toString() {
    return "nofile=" + openFiles + ",nproc=" + processes;
  }
}
