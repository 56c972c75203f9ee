package io.capdjava.e2e.chain;

import io.capdjava.core.CrashPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of our providers as a process of its own (this JVM's java and class path, the provider's main class), restarted
 * a second after it dies, as a Deployment's pod would be. With crash points armed ({@link CrashPoints}) it kills
 * itself at each of them once; {@link #crashes} reads which it reached, {@link #exits} how each run ended.
 */
final class ProviderProcess implements AutoCloseable {
  /** How one run of the process ended. */
  record Exit(Instant at, int status) {}

  /** Reached crash points, in order, each with its time. */
  record Crash(String point, Instant at) {}

  private static final Duration RESTART_DELAY = Duration.ofSeconds(1);

  final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logs;
  private final Path crashRecord;
  private final List<Exit> exits = new ArrayList<>();
  private final Thread supervisor;
  private volatile Process process;
  private volatile boolean closed;
  private int runs;

  /**
   * @param crashPoints the points to kill the process at, once each (none: a plain supervised provider)
   * @param logs a directory for each run's output
   */
  ProviderProcess(String name, String mainClass, List<String> args, Path kubeconfig, List<String> crashPoints,
      Path logs) throws IOException {
    this.name = name;
    this.logs = Files.createDirectories(logs);
    this.crashRecord = logs.resolve(name + "-crashes.txt");
    Files.deleteIfExists(crashRecord);
    command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    environment = new HashMap<>(Map.of("KUBECONFIG", kubeconfig.toString()));
    if (!crashPoints.isEmpty()) {
      environment.put(CrashPoints.POINTS_ENV, String.join(",", crashPoints));
      environment.put(CrashPoints.RECORD_ENV, crashRecord.toString());
    }
    startOnce();
    supervisor = new Thread(this::supervise, "supervisor-" + name);
    supervisor.setDaemon(true);
    supervisor.start();
  }

  private synchronized void startOnce() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + "-" + (++runs) + ".log").toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
  }

  private void supervise() {
    while (!closed) {
      try {
        int status = process.waitFor();
        synchronized (this) {
          exits.add(new Exit(Instant.now(), status));
        }
        if (closed) return;
        Thread.sleep(RESTART_DELAY.toMillis());
        if (!closed) startOnce();
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        throw new IllegalStateException("cannot restart " + name, e);
      }
    }
  }

  long pid() {
    return process.pid();
  }

  /** Every run that ended, with its exit status (137: killed at a crash point or by SIGKILL). */
  synchronized List<Exit> exits() {
    return List.copyOf(exits);
  }

  /** The crash points the process reached and died at, in order. */
  List<Crash> crashes() throws IOException {
    if (!Files.exists(crashRecord)) return List.of();
    return Files.readAllLines(crashRecord).stream().filter(l -> !l.isBlank()).map(l -> l.split(" "))
        .map(f -> new Crash(f[0], Instant.parse(f[1]))).toList();
  }

  /** The resident set size of the running process, from /proc, in KiB. */
  long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new IllegalStateException("no VmRSS for " + name);
  }

  /**
   * The live heap after a full collection (jcmd GC.run, then GC.heap_info's "used"), in KiB: what a leak would make
   * grow, unlike the resident size, which a JVM does not give back.
   */
  long liveHeapKib() throws Exception {
    String jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd").toString();
    QuickStartTest.run(jcmd, Long.toString(pid()), "GC.run");
    String info = QuickStartTest.run(jcmd, Long.toString(pid()), "GC.heap_info");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    if (!m.find()) throw new IllegalStateException("no heap usage in jcmd's answer: " + info);
    return Long.parseLong(m.group(1));
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    supervisor.interrupt();
    supervisor.join(5000);
    Process p = process;
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
  }
}
