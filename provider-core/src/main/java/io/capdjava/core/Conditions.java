package io.capdjava.core;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * v1beta2 (metav1) conditions on a status: set one, read one, mirror one from another object, and summarise several
 * into {@code Ready}, the way CAPI's {@code util/conditions} does.
 */
public final class Conditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private static Clock clock = Clock.systemUTC();

  private Conditions() {}

  public static Condition of(String type, String status, String reason, String message, Long observedGeneration) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(observedGeneration)
        .build();
  }

  public static Condition isTrue(String type, String reason, Long observedGeneration) {
    return of(type, TRUE, reason, "", observedGeneration);
  }

  public static Condition isFalse(String type, String reason, String message, Long observedGeneration) {
    return of(type, FALSE, reason, message, observedGeneration);
  }

  /**
   * Sets {@code condition} in {@code conditions} (which may be null) and returns the list. The transition time moves
   * only when the status changes, so re-setting the same state never looks like a change.
   */
  public static List<Condition> set(List<Condition> conditions, Condition condition) {
    List<Condition> list = conditions == null ? new ArrayList<>() : conditions;
    Optional<Condition> existing = get(list, condition.getType());
    String transition =
        existing.filter(e -> Objects.equals(e.getStatus(), condition.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(Conditions::now);
    Condition stored =
        new ConditionBuilder(condition).withLastTransitionTime(transition).build();
    list.removeIf(c -> Objects.equals(c.getType(), condition.getType()));
    list.add(stored);
    return list;
  }

  public static Optional<Condition> get(List<Condition> conditions, String type) {
    if (conditions == null) return Optional.empty();
    return conditions.stream().filter(c -> Objects.equals(c.getType(), type)).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return get(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  /**
   * The condition {@code sourceType} of another object, under {@code targetType}; Unknown when the source has none
   * (CAPI core mirrors an infrastructure machine's {@code Ready} as the Machine's {@code InfrastructureReady}).
   */
  public static Condition mirror(List<Condition> source, String sourceType, String targetType, Long observedGeneration) {
    return get(source, sourceType)
        .map(c -> of(targetType, c.getStatus(), c.getReason(), c.getMessage(), observedGeneration))
        .orElseGet(
            () -> of(targetType, UNKNOWN, sourceType + "NotReported", sourceType + " not yet reported",
                observedGeneration));
  }

  /**
   * The summary {@code Ready} of the given condition types: False (reason NotReady) when any is False, Unknown
   * (ReadyUnknown) when any is missing or Unknown, otherwise True (Ready). The message lists what is not True as
   * {@code * Type: message}.
   */
  public static Condition summary(List<Condition> conditions, Long observedGeneration, String... types) {
    boolean anyFalse = false;
    boolean anyUnknown = false;
    List<String> issues = new ArrayList<>();
    for (String type : types) {
      Optional<Condition> c = get(conditions, type);
      String status = c.map(Condition::getStatus).orElse(UNKNOWN);
      if (TRUE.equals(status)) continue;
      if (FALSE.equals(status)) anyFalse = true;
      else anyUnknown = true;
      String message = c.map(Condition::getMessage).filter(m -> !m.isEmpty()).orElse(
          c.isPresent() ? c.get().getReason() : "Condition not yet reported");
      issues.add("* " + type + ": " + message);
    }
    String message = String.join("\n", issues);
    if (anyFalse) return of(Contract.Condition.READY, FALSE, Contract.Condition.NOT_READY_REASON, message, observedGeneration);
    if (anyUnknown) {
      return of(Contract.Condition.READY, UNKNOWN, Contract.Condition.READY_UNKNOWN_REASON, message, observedGeneration);
    }
    return of(Contract.Condition.READY, TRUE, Contract.Condition.READY_REASON, "", observedGeneration);
  }

  private static String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** For tests that need transition times to differ. */
  static void useClock(Clock c) {
    clock = c;
  }
}
