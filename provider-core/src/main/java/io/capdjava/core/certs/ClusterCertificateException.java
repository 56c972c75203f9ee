package io.capdjava.core.certs;

/** A cluster certificate is missing or unreadable; the message names the secret and what is wrong with it. */
public class ClusterCertificateException extends RuntimeException {
  public ClusterCertificateException(String message) {
    super(message);
  }

  public ClusterCertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
