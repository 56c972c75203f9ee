package io.capdjava.docker.bootstrap;

import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock inside the node that makes a bootstrap run at most once at a time, across provider restarts: the directory
 * {@value #DIR} (made with {@code mkdir}, which is atomic) holds the owner, a heartbeat the owner renews, and the
 * step in progress with its process and, once it ends, its exit code. A provider that died leaves its step running
 * (an exec'd process outlives the client that started it); the next runner waits for that step, then resumes after
 * it instead of running the bootstrap a second time. {@code /run} is a tmpfs: a restarted container starts unlocked.
 */
public final class NodeBootstrapLock {
  static final String DIR = "/run/cluster-api/bootstrap.lock";
  private static final Duration SHORT = Duration.ofSeconds(30);

  /** What a runner found when it asked for the lock. */
  public sealed interface State {}

  /** The lock is the asker's now; the run starts at {@code fromStep} (0, or after the last step a dead run finished). */
  public record Acquired(int fromStep) implements State {}

  /** The node's bootstrap already succeeded (its success sentinel exists): nothing to run, nothing taken. */
  public record Bootstrapped() implements State {}

  /** Another live runner holds it, or a dead runner's step still runs: wait. */
  public record Busy(String why) implements State {}

  /** A dead runner's step ended with a failure: the bootstrap failed there. */
  public record Failed(int step, int exitCode) implements State {}

  private final ContainerRuntime runtime;
  private final Duration staleAfter;

  /** @param staleAfter how old a heartbeat may be before its runner counts as dead */
  public NodeBootstrapLock(ContainerRuntime runtime, Duration staleAfter) {
    this.runtime = runtime;
    this.staleAfter = staleAfter;
  }

  /**
   * Takes the lock for {@code owner}, or says why not; a dead runner's lock is taken over once its step ended. A node
   * whose bootstrap already succeeded is reported as such.
   */
  public State acquire(String container, String owner) {
    // one exec: done already, or take it if free, else report owner, heartbeat age, step index, whether its process
    // lives, exit code
    String script = "[ -f " + BootstrapRunner.SUCCESS_SENTINEL + " ] && echo bootstrapped && exit 0; "
        + "mkdir -p /run/cluster-api; if mkdir " + DIR + " 2>/dev/null; then echo '" + owner + "' > " + DIR
        + "/owner; date +%s > " + DIR + "/heartbeat; echo acquired; exit 0; fi; "
        + "now=$(date +%s); hb=$(cat " + DIR + "/heartbeat 2>/dev/null || echo 0); "
        + "pid=$(cat " + DIR + "/step.pid 2>/dev/null); alive=no; "
        + "[ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null && alive=yes; "
        + "echo \"held $(cat " + DIR + "/owner 2>/dev/null) $((now - hb)) $(cat " + DIR + "/step.index 2>/dev/null || echo -1)"
        + " $alive $(cat " + DIR + "/step.rc 2>/dev/null || echo none)\"";
    ExecResult r = runtime.exec(container, List.of("sh", "-c", script), SHORT);
    if (!r.succeeded()) throw new IllegalStateException("cannot check the bootstrap lock in " + container + ": " + r.tail(5));
    String[] f = r.output().strip().split("\\s+");
    if (f[0].equals("bootstrapped")) return new Bootstrapped();
    if (f[0].equals("acquired")) return new Acquired(0);
    String holder = f[1];
    long age = Long.parseLong(f[2]);
    int step = Integer.parseInt(f[3]);
    boolean stepRunning = f[4].equals("yes");
    String rc = f[5];
    if (!holder.equals(owner) && age < staleAfter.toSeconds()) {
      return new Busy("another bootstrap run (" + holder + ") is in progress");
    }
    if (stepRunning) {
      return new Busy("step " + (step + 1) + " of an interrupted bootstrap run is still running in the node");
    }
    if (step >= 0 && !rc.equals("none") && !rc.equals("0")) return new Failed(step, Integer.parseInt(rc));
    // the dead run's last step finished (or none had started): carry on after it, as the new owner
    int from = step < 0 ? 0 : rc.equals("0") ? step + 1 : step;
    exec(container, "echo '" + owner + "' > " + DIR + "/owner; date +%s > " + DIR + "/heartbeat");
    return new Acquired(from);
  }

  /** Tells later runners that the owner still lives. */
  public void heartbeat(String container) {
    runtime.exec(container, List.of("sh", "-c", "date +%s > " + DIR + "/heartbeat"), SHORT);
  }

  /** Frees the node for a new run (after a failure, so a retry starts afresh). */
  public void release(String container) {
    exec(container, "rm -rf " + DIR);
  }

  /** Frees the node after a run whose every step succeeded; whether the success sentinel was written. One exec. */
  public boolean releaseAfterSteps(String container) {
    ExecResult r = runtime.exec(container, List.of("sh", "-c", "rm -rf " + DIR + "; if [ -f "
        + BootstrapRunner.SUCCESS_SENTINEL + " ]; then echo written; else echo missing; fi"), SHORT);
    if (!r.succeeded()) throw new IllegalStateException("bootstrap lock in " + container + ": " + r.tail(5));
    return r.output().strip().equals("written");
  }

  /**
   * The command of step {@code index}, wrapped so that the node records the step, its process and its exit code,
   * for a runner that comes after a dead one.
   */
  static List<String> recorded(int index, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "echo $$ > " + DIR + "/step.pid; echo " + index + " > "
        + DIR + "/step.index; rm -f " + DIR + "/step.rc; \"$@\"; rc=$?; echo $rc > " + DIR + "/step.rc; exit $rc",
        "sh"));
    wrapped.addAll(command);
    return wrapped;
  }

  private void exec(String container, String script) {
    ExecResult r = runtime.exec(container, List.of("sh", "-c", script), SHORT);
    if (!r.succeeded()) throw new IllegalStateException("bootstrap lock in " + container + ": " + r.tail(5));
  }
}
