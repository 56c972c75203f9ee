package io.capdjava.controlplane.machines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of the preflight checks before adding or removing a control plane Machine: which checks failed, how
 * long to wait before trying again, and why (one line per failure, for logs and events).
 */
public record PreflightResult(
    boolean succeeded,
    boolean hasDeletingMachine,
    boolean certificateMissing,
    boolean controlPlaneComponentsNotHealthy,
    boolean etcdClusterNotHealthy,
    boolean topologyVersionMismatch,
    Duration requeueAfter,
    List<String> failures) {

  /** Upstream {@code preflightFailedRequeueAfter}. */
  public static final Duration PREFLIGHT_FAILED_REQUEUE = Duration.ofSeconds(15);
  /** Upstream {@code deleteRequeueAfter}. */
  public static final Duration DELETE_REQUEUE = Duration.ofSeconds(30);

  public static final PreflightResult PASSED =
      new PreflightResult(true, false, false, false, false, false, Duration.ZERO, List.of());

  public PreflightResult {
    failures = List.copyOf(failures);
  }

  /**
   * The lines the {@code ScalingUp}/{@code ScalingDown} conditions add after "is blocked because:" (upstream
   * {@code getPreflightMessages}).
   */
  public List<String> conditionMessages(String topologyVersion) {
    List<String> messages = new ArrayList<>();
    if (topologyVersionMismatch) {
      messages.add("* waiting for a version upgrade to " + topologyVersion + " to be propagated");
    }
    if (hasDeletingMachine) messages.add("* waiting for a control plane Machine to complete deletion");
    if (certificateMissing) messages.add("* cluster certificates are missing or unknown");
    if (controlPlaneComponentsNotHealthy) messages.add("* waiting for control plane components to become healthy");
    if (etcdClusterNotHealthy) messages.add("* waiting for etcd cluster to become healthy");
    return messages;
  }
}
