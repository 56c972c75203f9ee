package io.capdjava.docker.bootstrap;

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
      boolean cancelled) {
    static Outcome success(boolean alreadyDone) {
      return new Outcome(true, alreadyDone, null, DockerConditions.COMPLETED_REASON, "", false);
    }

    public static Outcome failure(Stage stage, String reason, String message) {
      return new Outcome(false, false, stage, reason, message, false);
    }

    static Outcome cancelled(Stage stage, String message) {
      return new Outcome(false, false, stage, stage == Stage.COMMANDS ? DockerConditions.NOT_COMPLETED_REASON
          : DockerConditions.NOT_READY_REASON, message, true);
    }

    /** Whether the stage got through (stages before the failed one did). */
    public boolean passed(Stage stage) {
      return succeeded || stage.ordinal() < failedStage.ordinal();
    }
  }

  private final ContainerRuntime runtime;

  public BootstrapRunner(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public boolean alreadyBootstrapped(String container) {
    return runtime.exec(container, List.of("test", "-f", SUCCESS_SENTINEL), SHORT).succeeded();
  }

  public Outcome run(String container, List<BootstrapStep> steps, List<String> preLoadImages, Duration timeout,
      BooleanSupplier cancelled) {
    if (alreadyBootstrapped(container)) return Outcome.success(true);
    Instant deadline = Instant.now().plus(timeout);

    Outcome systemd = waitForSystemd(container, deadline, cancelled);
    if (systemd != null) return systemd;

    for (String image : preLoadImages == null ? List.<String>of() : preLoadImages) {
      Outcome loaded = preLoad(container, image, deadline, cancelled);
      if (loaded != null) return loaded;
    }

    for (BootstrapStep s : steps) {
      if (s.input() != null) runtime.copyFile(container, BootstrapStep.INPUT_PATH, s.input());
      ExecResult result = step(container, s, deadline, cancelled);
      if (result == null) return cancelledOrTimedOut(Stage.COMMANDS, cancelled, s.description());
      if (!result.succeeded()) return failed(Stage.COMMANDS, s.description(), result);
    }
    if (!alreadyBootstrapped(container)) {
      return Outcome.failure(Stage.COMMANDS, DockerConditions.FAILED_REASON, "every bootstrap command succeeded but "
          + SUCCESS_SENTINEL + " was not written: the bootstrap data does not end with kubeadm's success marker");
    }
    return Outcome.success(false);
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
      state = runtime.exec(container, List.of("systemctl", "is-system-running"), SHORT).output().strip();
      if (state.equals("running") || state.equals("degraded")) return null;
      sleep(250);
    }
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
