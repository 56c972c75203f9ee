package io.capdjava.docker.bootstrap;

import io.capdjava.core.CrashPoints;
import io.capdjava.docker.DockerConditions;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a machine's bootstrap in its node container: waits for systemd, imports the pre-load images, runs the steps in
 * order within the bootstrap timeout, and requires the success sentinel kubeadm's bootstrap writes. A node whose
 * sentinel already exists is not bootstrapped again (a restarted provider, a moved cluster).
 */
public final class BootstrapRunner {
  public static final String SUCCESS_SENTINEL = "/run/cluster-api/bootstrap-success.complete";
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapRunner.class);
  private static final Duration SHORT = Duration.ofSeconds(30);
  /**
   * Prints the system state once the boot has finished, nothing after 10 s (coreutils' timeout). Before systemd
   * answers at all, {@code --wait} returns at once ({@code offline}): the node asks again itself every 250 ms,
   * where an exec per look (a create, a hijacked start and an inspect, and a runc exec in the engine) was most of the
   * bootstrap's execs while 50 nodes started at once.
   */
  public static final List<String> SYSTEMD_BOOT_FINISHED = List.of("timeout", "10", "sh", "-c",
      "while :; do s=$(systemctl is-system-running --wait 2>/dev/null); "
          + "case \"$s\" in running|degraded) echo \"$s\"; exit 0;; esac; sleep 0.25; done");
  private static final long CANCEL_POLL_MILLIS = 1000;

  /** The stages of a bootstrap, each reported by its own condition. */
  public enum Stage {
    /** systemd reached its multi-user target: CGroupsReady. */
    CGROUPS,
    /** the pre-load images are imported: PreLoadedImagesReady. */
    PRELOAD_IMAGES,
    /** the bootstrap commands ran and wrote the success sentinel: BootstrapCompleted. */
    COMMANDS
  }

  /**
   * How a bootstrap ended: on failure the stage it failed in, the reason for that stage's condition, and a message
   * naming the step, its exit code and the tail of its output.
   */
  public record Outcome(boolean succeeded, boolean alreadyDone, Stage failedStage, String reason, String message,
      boolean cancelled, boolean inProgress) {
    static Outcome success(boolean alreadyDone) {
      return new Outcome(true, alreadyDone, null, DockerConditions.COMPLETED_REASON, "", false, false);
    }

    public static Outcome failure(Stage stage, String reason, String message) {
      return new Outcome(false, false, stage, reason, message, false, false);
    }

    static Outcome cancelled(Stage stage, String message) {
      return new Outcome(false, false, stage, stage == Stage.COMMANDS ? DockerConditions.NOT_COMPLETED_REASON
          : DockerConditions.NOT_READY_REASON, message, true, false);
    }

    /** Another run bootstraps the node (a live runner, or the last step of a dead one): wait for it, do not start. */
    static Outcome inProgress(String message) {
      return new Outcome(false, false, Stage.COMMANDS, DockerConditions.NOT_COMPLETED_REASON, message, false, true);
    }

    /** Whether the stage got through (stages before the failed one did). */
    public boolean passed(Stage stage) {
      return succeeded || stage.ordinal() < failedStage.ordinal();
    }
  }

  /** How long a runner's heartbeat may be silent before another runner takes over its lock. */
  static final Duration STALE_AFTER = Duration.ofSeconds(20);
  private static final Duration HEARTBEAT = Duration.ofSeconds(5);

  private final ContainerRuntime runtime;
  private final NodeBootstrapLock lock;
  private final Duration heartbeat;
  /** This runner (this provider process) as the lock's owner. */
  private final String owner = "capd-java-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  public BootstrapRunner(ContainerRuntime runtime) {
    this(runtime, STALE_AFTER, HEARTBEAT);
  }

  BootstrapRunner(ContainerRuntime runtime, Duration staleAfter, Duration heartbeat) {
    this.runtime = runtime;
    this.lock = new NodeBootstrapLock(runtime, staleAfter);
    this.heartbeat = heartbeat;
  }

  public boolean alreadyBootstrapped(String container) {
    return runtime.exec(container, List.of("test", "-f", SUCCESS_SENTINEL), SHORT).succeeded();
  }

  /**
   * Bootstraps the node unless it is done, or another run holds its lock ({@link NodeBootstrapLock}): then the outcome
   * is "in progress" and nothing starts. After a dead runner, the run resumes after the last step that one finished.
   */
  public Outcome run(String container, List<BootstrapStep> steps, List<String> preLoadImages, Duration timeout,
      BooleanSupplier cancelled) {
    // the lock's one exec also says whether the node is bootstrapped already
    NodeBootstrapLock.State state = lock.acquire(container, owner);
    if (state instanceof NodeBootstrapLock.Bootstrapped) return Outcome.success(true);
    if (state instanceof NodeBootstrapLock.Busy busy) return Outcome.inProgress(busy.why() + "; waiting for it");
    if (state instanceof NodeBootstrapLock.Failed failed) {
      lock.release(container);
      String step = failed.step() < steps.size() ? "'" + steps.get(failed.step()).description() + "'"
          : "step " + (failed.step() + 1);
      return Outcome.failure(Stage.COMMANDS, DockerConditions.FAILED_REASON, step + " of an interrupted bootstrap run"
          + " exited with status " + failed.exitCode() + " (its output went with the provider that started it)");
    }
    int from = ((NodeBootstrapLock.Acquired) state).fromStep();
    if (from > 0) LOG.info("{}: resuming an interrupted bootstrap at step {} of {}", container, from + 1, steps.size());
    java.util.concurrent.ScheduledExecutorService beats = java.util.concurrent.Executors
        .newSingleThreadScheduledExecutor(r -> new Thread(r, "bootstrap-heartbeat-" + container));
    beats.scheduleWithFixedDelay(() -> {
      try {
        lock.heartbeat(container);
      } catch (RuntimeException e) {
        LOG.debug("{}: heartbeat: {}", container, e.getMessage());
      }
    }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    try {
      Outcome outcome = runLocked(container, steps, from, preLoadImages, timeout, cancelled);
      if (outcome == null) {
        // every step succeeded: free the node and look for the sentinel in one exec
        if (lock.releaseAfterSteps(container)) return Outcome.success(false);
        return Outcome.failure(Stage.COMMANDS, DockerConditions.FAILED_REASON, "every bootstrap command succeeded but "
            + SUCCESS_SENTINEL + " was not written: the bootstrap data does not end with kubeadm's success marker");
      }
      // a step cancelled or timed out may still run in the node (the exec outlives our wait): the lock stays, so
      // whoever comes next waits for that step and carries on after it
      boolean stepMayStillRun = !outcome.succeeded() && outcome.failedStage() == Stage.COMMANDS
          && DockerConditions.NOT_COMPLETED_REASON.equals(outcome.reason());
      if (!stepMayStillRun) lock.release(container);
      return outcome;
    } catch (RuntimeException e) {
      lock.release(container);
      throw e;
    } finally {
      beats.shutdownNow();
    }
  }

  /** The run under the lock: how it failed, or null when every step succeeded. */
  private Outcome runLocked(String container, List<BootstrapStep> steps, int from, List<String> preLoadImages,
      Duration timeout, BooleanSupplier cancelled) {
    Instant deadline = Instant.now().plus(timeout);

    Outcome systemd = waitForSystemd(container, deadline, cancelled);
    if (systemd != null) return systemd;

    for (String image : preLoadImages == null ? List.<String>of() : preLoadImages) {
      Outcome loaded = preLoad(container, image, deadline, cancelled);
      if (loaded != null) return loaded;
    }

    for (int i = from; i < steps.size(); i++) {
      BootstrapStep s = steps.get(i);
      if (s.input() != null) runtime.copyFile(container, BootstrapStep.INPUT_PATH, s.input());
      ExecResult result = step(container, new BootstrapStep(s.description(), NodeBootstrapLock.recorded(i, s.command()),
          s.input()), deadline, cancelled);
      if (result == null) return cancelledOrTimedOut(Stage.COMMANDS, cancelled, s.description());
      if (!result.succeeded()) return failed(Stage.COMMANDS, s.description(), result);
    }
    return null;
  }

  /**
   * Imports an image of the provider's engine into the node's containerd, where the kubelet finds it without a
   * registry; null when it worked.
   */
  private Outcome preLoad(String container, String image, Instant deadline, BooleanSupplier cancelled) {
    if (!runtime.imagePresent(image)) {
      return Outcome.failure(Stage.PRELOAD_IMAGES, DockerConditions.NOT_READY_REASON, "image " + image
          + " of preLoadImages is not present in the container engine");
    }
    Path archive = null;
    try {
      archive = Files.createTempFile("capd-java-preload", ".tar");
      try (InputStream saved = runtime.save(image)) {
        Files.copy(saved, archive, StandardCopyOption.REPLACE_EXISTING);
      }
      String inContainer = "/var/lib/capd-java/preload.tar";
      runtime.copyFile(container, inContainer, archive);
      BootstrapStep importStep = new BootstrapStep("pre-load " + image, List.of("sh", "-c",
          "ctr --namespace=k8s.io images import --all-platforms --digests " + inContainer + "; rc=$?; rm -f "
              + inContainer + "; exit $rc"), null);
      ExecResult imported = step(container, importStep, deadline, cancelled);
      if (imported == null) return cancelledOrTimedOut(Stage.PRELOAD_IMAGES, cancelled, "pre-loading " + image);
      return imported.succeeded() ? null : failed(Stage.PRELOAD_IMAGES, importStep.description(), imported);
    } catch (IOException e) {
      return Outcome.failure(Stage.PRELOAD_IMAGES, DockerConditions.NOT_READY_REASON, "could not save image " + image
          + " from the container engine: " + e.getMessage());
    } finally {
      if (archive != null) archive.toFile().delete();
    }
  }

  /** systemd must be up before kubeadm can start the kubelet; "degraded" still runs what kubeadm needs. */
  private Outcome waitForSystemd(String container, Instant deadline, BooleanSupplier cancelled) {
    String state = "";
    while (Instant.now().isBefore(deadline)) {
      if (cancelled.getAsBoolean()) {
        return Outcome.cancelled(Stage.CGROUPS, "bootstrap cancelled: the machine is being deleted");
      }
      // one exec that returns when the boot has finished (or after 10 s, for the cancellation check)
      state = runtime.exec(container, SYSTEMD_BOOT_FINISHED, SHORT).output().strip();
      if (state.equals("running") || state.equals("degraded")) return null;
      sleep(250);
    }
    state = runtime.exec(container, List.of("systemctl", "is-system-running"), SHORT).output().strip();
    return Outcome.failure(Stage.CGROUPS, DockerConditions.NOT_READY_REASON, "systemd in " + container
        + " did not reach its multi-user target within the bootstrap timeout (last state: " + state + ")");
  }

  /** Runs one step; null when it was cancelled or the deadline passed first. */
  private ExecResult step(String container, BootstrapStep s, Instant deadline, BooleanSupplier cancelled) {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) return null;
    LOG.debug("{}: {}", container, s.description());
    CompletableFuture<ExecResult> running =
        CompletableFuture.supplyAsync(() -> runtime.exec(container, s.command(), left));
    while (true) {
      try {
        ExecResult r = running.get(CANCEL_POLL_MILLIS, TimeUnit.MILLISECONDS);
        return r.timedOut() ? null : r;
      } catch (TimeoutException e) {
        // kubeadm init or join running in the node: a provider killed now leaves it running there
        if (s.description().contains(" kubeadm ")) CrashPoints.reach("docker/kubeadm-running");
        if (cancelled.getAsBoolean() || Instant.now().isAfter(deadline)) return null;
      } catch (ExecutionException e) {
        throw new IllegalStateException("could not run '" + s.description() + "' in " + container + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  private static Outcome cancelledOrTimedOut(Stage stage, BooleanSupplier cancelled, String during) {
    if (cancelled.getAsBoolean()) {
      return Outcome.cancelled(stage, "bootstrap cancelled during " + during + ": the machine is being deleted");
    }
    return Outcome.failure(stage, stage == Stage.COMMANDS ? DockerConditions.NOT_COMPLETED_REASON
        : DockerConditions.NOT_READY_REASON, "bootstrap timed out during " + during + " (bootstrapTimeout)");
  }

  private static Outcome failed(Stage stage, String description, ExecResult result) {
    return Outcome.failure(stage, stage == Stage.COMMANDS ? DockerConditions.FAILED_REASON
        : DockerConditions.NOT_READY_REASON, "'" + description + "' exited with status " + result.exitCode()
        + ":\n" + result.tail(10));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
