package io.capdjava.controlplane.machines;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.desired.DesiredKubeadmConfig;
import io.capdjava.controlplane.desired.InfrastructureMachineClone;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a control plane Machine matches its KubeadmControlPlane (upstream {@code UpToDate}). A Machine is outdated
 * when its certificates expire within {@code rollout.before.certificatesExpiryDays}, when {@code rollout.after} has
 * passed and the Machine is older, when its version differs from {@code spec.version}, when its InfraMachine was
 * cloned from another template than {@code machineTemplate.spec.infrastructureRef} (template contents are not
 * compared: a change needs a new template), or when its KubeadmConfig spec differs from what KCP would create now.
 * A missing InfraMachine, KubeadmConfig or cloned-from annotation is not a difference.
 */
public final class UpToDateCheck {
  private UpToDateCheck() {}

  /**
   * The verdict with the reasons: {@code logMessages} in detail, {@code conditionMessages} as the Machine's
   * {@code UpToDate} condition shows them.
   */
  public record Result(boolean upToDate, List<String> logMessages, List<String> conditionMessages) {
    public static final Result UP_TO_DATE = new Result(true, List.of(), List.of());
  }

  public static Result check(
      Machine machine,
      KubeadmControlPlane kcp,
      Instant now,
      Optional<? extends HasMetadata> infraMachine,
      Optional<KubeadmConfig> kubeadmConfig) {
    List<String> log = new ArrayList<>();
    List<String> condition = new ArrayList<>();

    if (certificatesExpireSoon(machine, kcp, now)) {
      log.add("certificates will expire soon, rolloutBefore expired");
      condition.add("Certificates will expire soon");
    }
    if (rolloutAfterPassed(machine, kcp, now)) {
      log.add("rolloutAfter expired");
      condition.add("KubeadmControlPlane spec.rolloutAfter expired");
    }

    String version = MachineFacts.version(machine);
    if (!version.equals(kcp.getSpec().version)) {
      log.add("Machine version \"" + version + "\" is not equal to KCP version \"" + kcp.getSpec().version + "\"");
      condition.add("Version " + version + ", " + kcp.getSpec().version + " required");
    }

    kubeadmConfigDifference(machine, kcp, kubeadmConfig).ifPresent(paths -> {
      log.add("Machine KubeadmConfig is outdated: diff: " + paths);
      condition.add("KubeadmConfig is not up-to-date");
    });

    infrastructureDifference(kcp, infraMachine).ifPresent(reason -> {
      log.add(reason);
      condition.add(machine.getSpec().infrastructureRef.kind + " is not up-to-date");
    });

    return log.isEmpty() ? Result.UP_TO_DATE : new Result(false, log, condition);
  }

  static boolean certificatesExpireSoon(Machine machine, KubeadmControlPlane kcp, Instant now) {
    Integer days = kcp.getSpec().rollout == null || kcp.getSpec().rollout.before == null
        ? null : kcp.getSpec().rollout.before.certificatesExpiryDays;
    if (days == null || days == 0) return false;
    return MachineFacts.certificatesExpiry(machine).map(expiry -> now.plus(Duration.ofDays(days)).isAfter(expiry))
        .orElse(false);
  }

  static boolean rolloutAfterPassed(Machine machine, KubeadmControlPlane kcp, Instant now) {
    String after = kcp.getSpec().rollout == null ? null : kcp.getSpec().rollout.after;
    if (after == null || after.isEmpty()) return false;
    Instant rolloutAfter = Instant.parse(after);
    return MachineFacts.created(machine).isBefore(rolloutAfter) && rolloutAfter.isBefore(now);
  }

  private static Optional<String> kubeadmConfigDifference(
      Machine machine, KubeadmControlPlane kcp, Optional<KubeadmConfig> kubeadmConfig) {
    ContractVersionedObjectReference ref = machine.getSpec() == null || machine.getSpec().bootstrap == null
        ? null : machine.getSpec().bootstrap.configRef;
    if (ref == null || !ref.isDefined() || kubeadmConfig.isEmpty()) return Optional.empty();
    KubeadmConfigSpecDiff.Result diff = KubeadmConfigSpecDiff.compare(
        DesiredKubeadmConfig.withDefaultedFeatureGates(kubeadmConfig.get().getSpec(), kcp),
        DesiredKubeadmConfig.spec(kcp, true), DesiredKubeadmConfig.spec(kcp, false));
    return diff.matches() ? Optional.empty() : Optional.of(String.join(", ", diff.paths()));
  }

  private static Optional<String> infrastructureDifference(
      KubeadmControlPlane kcp, Optional<? extends HasMetadata> infraMachine) {
    if (infraMachine.isEmpty()) return Optional.empty();
    Map<String, String> annotations = infraMachine.get().getMetadata().getAnnotations();
    if (annotations == null) return Optional.empty();
    String clonedFromName = annotations.get(Contract.Annotation.CLONED_FROM_NAME);
    String clonedFromGroupKind = annotations.get(Contract.Annotation.CLONED_FROM_GROUP_KIND);
    if (clonedFromName == null || clonedFromGroupKind == null) return Optional.empty();
    ContractVersionedObjectReference ref = kcp.getSpec().machineTemplate.spec.infrastructureRef;
    String desiredGroupKind = InfrastructureMachineClone.groupKind(ref.kind, ref.apiGroup);
    if (clonedFromName.equals(ref.name) && clonedFromGroupKind.equals(desiredGroupKind)) return Optional.empty();
    return Optional.of("Infrastructure template on KCP rotated from " + clonedFromGroupKind + " " + clonedFromName
        + " to " + desiredGroupKind + " " + ref.name);
  }
}
