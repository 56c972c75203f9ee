package io.capdjava.docker.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Host limits a node container depends on, checked before one is made so that a shortfall is reported instead of a
 * node that hangs: each node's systemd and containerd take 14 to 27 inotify instances (measured here), and beyond the
 * host's {@code fs.inotify.max_user_instances} containerd loses its CRI plugin ("failed to create fsnotify watcher")
 * and {@code kubeadm join} waits until the bootstrap timeout. Read from this process's {@code /proc}: right when the
 * engine runs on this host; in a pod fewer processes are visible, so the count is low and nothing is refused.
 */
public final class HostLimits {
  /** The most inotify instances one node container was seen to take. */
  public static final int INOTIFY_INSTANCES_PER_NODE = 27;
  private static final HostLimits NONE = new HostLimits(null);

  private final Path proc;

  HostLimits(Path proc) {
    this.proc = proc;
  }

  /** The limits of this host, checked only when the engine is local (a unix socket). */
  public static HostLimits forEngine(String dockerHost) {
    boolean local = dockerHost == null || dockerHost.isBlank() || dockerHost.startsWith("unix://");
    return local && Files.isReadable(Path.of("/proc/sys/fs/inotify/max_user_instances"))
        ? new HostLimits(Path.of("/proc")) : NONE;
  }

  /** The limits of the engine {@code DOCKER_HOST} names (the default socket when unset). */
  public static HostLimits forThisEngine() {
    return forEngine(System.getenv("DOCKER_HOST"));
  }

  /**
   * How long a count of the instances in use stands in for a new one. Counting walks every descriptor of every
   * process on the host (thousands once a few nodes run): with 50 machines made at once, one walk per machine was a
   * tenth of the provider's CPU. Within this time a new node is let through on the last count plus the most every node
   * let through since could have taken, and counted again once that estimate leaves no room.
   */
  static final long COUNT_STANDS_NANOS = TimeUnit.SECONDS.toNanos(5);

  private long counted = -1;
  private long countedAtNanos;
  private int nodesSinceCount;

  /** A message naming the limit and how to raise it when one more node container would not fit; else empty. */
  public synchronized Optional<String> shortfallForOneMoreNode() {
    if (proc == null) return Optional.empty();
    long max = read(proc.resolve("sys/fs/inotify/max_user_instances"));
    if (max <= 0) return Optional.empty();
    long now = System.nanoTime();
    if (counted >= 0 && now - countedAtNanos < COUNT_STANDS_NANOS
        && max - (counted + (long) (nodesSinceCount + 1) * INOTIFY_INSTANCES_PER_NODE) >= 0) {
      nodesSinceCount++;
      return Optional.empty();
    }
    long used = inotifyInstancesInUse();
    counted = used;
    countedAtNanos = now;
    nodesSinceCount = 0;
    if (max - used >= INOTIFY_INSTANCES_PER_NODE) {
      nodesSinceCount = 1;
      return Optional.empty();
    }
    return Optional.of("the host allows " + max + " inotify instances (fs.inotify.max_user_instances) and " + used
        + " are in use; a node container needs up to " + INOTIFY_INSTANCES_PER_NODE + " (beyond the limit its"
        + " containerd fails with 'failed to create fsnotify watcher' and the node never joins). Raise it on the host:"
        + " sysctl -w fs.inotify.max_user_instances=512 (hack/docker.sh does where it may)");
  }

  /** Every open inotify instance of the processes this one can see. */
  long inotifyInstancesInUse() {
    long count = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, p -> p.getFileName().toString()
        .chars().allMatch(Character::isDigit))) {
      for (Path process : processes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
          for (Path fd : fds) {
            try {
              if ("anon_inode:inotify".equals(Files.readSymbolicLink(fd).toString())) count++;
            } catch (IOException | UnsupportedOperationException e) {
              // closed meanwhile, or not a link
            }
          }
        } catch (IOException | SecurityException e) {
          // the process ended, or its descriptors are not ours to see
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return count;
  }

  /**
   * A number from a {@code /proc/sys} file. Read as a stream: {@code Files.readString} returns only the first byte of
   * these files on JDK 17 (they report a size of 0), so 512 would read as 5.
   */
  static long read(Path file) {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return Long.parseLong(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
