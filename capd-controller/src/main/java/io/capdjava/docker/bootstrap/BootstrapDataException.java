package io.capdjava.docker.bootstrap;

/** Bootstrap data the provider cannot run as given; the message names the key or file and says why. */
public final class BootstrapDataException extends RuntimeException {
  public BootstrapDataException(String message) {
    super(message);
  }
}
