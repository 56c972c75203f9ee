package io.capdjava.bootstrap.reconciler;

/**
 * A KubeadmConfig (or its Machine) asks for something the provider cannot do; the message names the field. Not
 * retried: a change to the object triggers the next attempt.
 */
public class InvalidSpecException extends RuntimeException {
  public InvalidSpecException(String message) {
    super(message);
  }
}
