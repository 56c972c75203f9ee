package io.capdjava.bootstrap.reconciler;

/**
 * Something the bootstrap data needs is not there yet (a referenced secret or key, the cluster certificates); the
 * message names the field and the object. Retried with backoff, as it may appear.
 */
public class MissingInputException extends RuntimeException {
  private final String condition;

  /** @param condition the KubeadmConfig condition this makes False or Unknown */
  public MissingInputException(String condition, String message) {
    super(message);
    this.condition = condition;
  }

  public String condition() {
    return condition;
  }
}
