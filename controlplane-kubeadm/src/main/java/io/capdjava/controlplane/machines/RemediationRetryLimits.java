package io.capdjava.controlplane.machines;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneRemediationSpec;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.ControlPlaneConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether KCP may remediate a Machine again (upstream {@code checkRetryLimits}), so a control plane whose
 * replacements keep failing (e.g. the first Machine on a quota error) is not replaced forever. A Machine created by a
 * remediation carries it in {@code remediation-for}; if it fails again within {@code minHealthyPeriodSeconds} of that
 * remediation, this is a retry: it waits {@code retryPeriodSeconds} after the previous one and stops after
 * {@code maxRetry}. Otherwise a new sequence starts with retry count 0.
 */
public final class RemediationRetryLimits {
  private RemediationRetryLimits() {}

  /** {@code spec.remediation} with upstream's defaults. */
  public record Settings(Optional<Integer> maxRetry, Duration retryPeriod, Duration minHealthyPeriod) {
    public static Settings of(KubeadmControlPlaneRemediationSpec spec) {
      if (spec == null) spec = new KubeadmControlPlaneRemediationSpec();
      return new Settings(Optional.ofNullable(spec.maxRetry),
          Duration.ofSeconds(spec.retryPeriodSeconds == null ? 0 : spec.retryPeriodSeconds),
          Duration.ofSeconds(spec.minHealthyPeriodSeconds == null
              ? KubeadmControlPlane.DEFAULT_MIN_HEALTHY_PERIOD_SECONDS : spec.minHealthyPeriodSeconds));
    }
  }

  /** Allowed with the data to record, or refused with the OwnerRemediated reason and message. */
  public record Verdict(RemediationData inProgress, boolean allowed, String reason, String message) {}

  public static Verdict check(Machine machine, Settings settings, Instant now) {
    Map<String, String> annotations = machine.getMetadata().getAnnotations();
    String last = annotations == null ? null : annotations.get(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION);
    RemediationData inProgress = RemediationData.of(MachineFacts.name(machine), now, 0);
    if (last == null) return allowed(inProgress);
    RemediationData previous = RemediationData.parse(last);

    // a lost timestamp counts as long ago: both periods expired
    Duration longest = settings.minHealthyPeriod().compareTo(settings.retryPeriod()) > 0
        ? settings.minHealthyPeriod() : settings.retryPeriod();
    Instant lastTime = previous.timestamp().orElse(now.minus(longest.multipliedBy(2)));
    if (!lastTime.plus(settings.minHealthyPeriod()).isAfter(now)) return allowed(inProgress);

    int retryCount = previous.retryCount();
    RemediationData carried = new RemediationData(inProgress.machine(), inProgress.timestamp(), retryCount);
    if (lastTime.plus(settings.retryPeriod()).isAfter(now)) {
      return new Verdict(carried, false, ControlPlaneConditions.MACHINE_REMEDIATION_DEFERRED_REASON,
          "KubeadmControlPlane can't remediate this machine because the operation already failed in the latest "
              + goDuration(settings.retryPeriod()) + " (RetryPeriodSeconds)");
    }
    if (settings.maxRetry().isPresent() && retryCount >= settings.maxRetry().get()) {
      return new Verdict(carried, false, ControlPlaneConditions.MACHINE_CANNOT_BE_REMEDIATED_REASON,
          "KubeadmControlPlane can't remediate this machine because the operation already failed "
              + settings.maxRetry().get() + " times (MaxRetry)");
    }
    return allowed(new RemediationData(inProgress.machine(), inProgress.timestamp(), retryCount + 1));
  }

  private static Verdict allowed(RemediationData data) {
    return new Verdict(data, true, "", "");
  }

  /** A whole-second duration the way Go prints it ({@code 1h0m0s}, {@code 5m30s}, {@code 45s}), for messages. */
  static String goDuration(Duration d) {
    long s = d.getSeconds();
    if (s == 0) return "0s";
    StringBuilder b = new StringBuilder();
    if (s < 0) {
      b.append('-');
      s = -s;
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) b.append(h).append('h');
    if (h > 0 || m > 0) b.append(m).append('m');
    return b.append(sec).append('s').toString();
  }
}
