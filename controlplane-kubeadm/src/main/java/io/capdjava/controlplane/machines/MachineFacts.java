package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What decisions read from a Machine: its age, deletion, node, annotations and conditions. */
public final class MachineFacts {
  private MachineFacts() {}

  /** Oldest first; equal creation times ordered by name (upstream {@code machinesByCreationTimestamp}). */
  public static final Comparator<Machine> OLDEST_FIRST =
      Comparator.comparing(MachineFacts::created).thenComparing(MachineFacts::name);

  public static String name(Machine machine) {
    return machine.getMetadata().getName();
  }

  /** The creation time; a Machine not yet stored (no timestamp) counts as created now. */
  public static Instant created(Machine machine) {
    String t = machine.getMetadata().getCreationTimestamp();
    return t == null || t.isEmpty() ? Instant.now() : Instant.parse(t);
  }

  public static boolean isDeleting(Machine machine) {
    String t = machine.getMetadata().getDeletionTimestamp();
    return t != null && !t.isEmpty();
  }

  public static Optional<Instant> deletionRequested(Machine machine) {
    return isDeleting(machine) ? Optional.of(Instant.parse(machine.getMetadata().getDeletionTimestamp()))
        : Optional.empty();
  }

  /** Whether CAPI core has linked the Machine to its Node ({@code status.nodeRef}). */
  public static boolean hasNode(Machine machine) {
    return nodeName(machine).isPresent();
  }

  public static Optional<String> nodeName(Machine machine) {
    if (machine.getStatus() == null || machine.getStatus().nodeRef == null) return Optional.empty();
    String name = machine.getStatus().nodeRef.name;
    return name == null || name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  public static boolean hasProviderId(Machine machine) {
    return machine.getSpec() != null && machine.getSpec().providerID != null && !machine.getSpec().providerID.isEmpty();
  }

  public static String failureDomain(Machine machine) {
    return machine.getSpec() == null || machine.getSpec().failureDomain == null ? "" : machine.getSpec().failureDomain;
  }

  public static String version(Machine machine) {
    return machine.getSpec() == null || machine.getSpec().version == null ? "" : machine.getSpec().version;
  }

  public static boolean hasAnnotation(Machine machine, String key) {
    Map<String, String> annotations = machine.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(key);
  }

  public static List<Condition> conditions(Machine machine) {
    return machine.getStatus() == null ? null : machine.getStatus().conditions;
  }

  public static Optional<Condition> condition(Machine machine, String type) {
    return Conditions.get(conditions(machine), type);
  }

  public static boolean isTrue(Machine machine, String type) {
    return condition(machine, type).map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
  }

  public static boolean isFalse(Machine machine, String type) {
    return condition(machine, type).map(c -> Conditions.FALSE.equals(c.getStatus())).orElse(false);
  }

  /** The kubelet version CAPI core copied from the Node ({@code status.nodeInfo.kubeletVersion}), if any. */
  public static Optional<String> kubeletVersion(Machine machine) {
    if (machine.getStatus() == null) return Optional.empty();
    Object nodeInfo = machine.getStatus().getUnknownFields().get("nodeInfo");
    if (nodeInfo instanceof Map<?, ?> info && info.get("kubeletVersion") instanceof String v && !v.isEmpty()) {
      return Optional.of(v);
    }
    return Optional.empty();
  }

  /** When the Machine's certificates expire ({@code status.certificatesExpiryDate}, set by CAPI core). */
  public static Optional<Instant> certificatesExpiry(Machine machine) {
    if (machine.getStatus() == null) return Optional.empty();
    Object expiry = machine.getStatus().getUnknownFields().get("certificatesExpiryDate");
    return expiry instanceof String s && !s.isEmpty() ? Optional.of(Instant.parse(s)) : Optional.empty();
  }
}
