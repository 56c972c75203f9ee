package io.capdjava.core.reconcile;

import io.capdjava.core.Contract;
import io.capdjava.core.Conditions;

/**
 * A failure of one phase of a reconcile, with the condition it is reported under: the skeleton turns it into that
 * condition (status, reason and a message a user can act on) instead of a raw exception text. Failures that are not
 * attributed to a phase are reported as {@code Ready=False, InternalError}.
 */
public final class PhaseFailure extends RuntimeException {
  private final String conditionType;
  private final String conditionStatus;
  private final String reason;

  public PhaseFailure(String conditionType, String conditionStatus, String reason, String message, Throwable cause) {
    super(message, cause);
    this.conditionType = conditionType;
    this.conditionStatus = conditionStatus;
    this.reason = reason;
  }

  /** {@code conditionType=False} with {@code reason}; the message says what was being done and why it failed. */
  public static PhaseFailure of(String conditionType, String reason, String doing, Throwable cause) {
    return new PhaseFailure(conditionType, Conditions.FALSE, reason, "Failed to " + doing + ": "
        + FailureMessage.of(cause), cause);
  }

  /** A failure while the object is being deleted: {@code Deleting=True} says what could not be removed yet. */
  public static PhaseFailure deleting(String doing, Throwable cause) {
    return new PhaseFailure(Contract.Condition.DELETING, Conditions.TRUE, Contract.Condition.DELETING_REASON,
        "Failed to " + doing + ": " + FailureMessage.of(cause), cause);
  }

  public String conditionType() {
    return conditionType;
  }

  public String conditionStatus() {
    return conditionStatus;
  }

  public String reason() {
    return reason;
  }
}
