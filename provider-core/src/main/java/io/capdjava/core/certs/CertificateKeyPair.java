package io.capdjava.core.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate and its key as PEM text, upstream's {@code certs.KeyPair}: {@code cert} is {@code tls.crt} (for the
 * service-account pair, the PEM public key), {@code key} is {@code tls.key} (empty when a user-supplied external
 * certificate has none).
 */
public record CertificateKeyPair(String cert, String key) {
  public CertificateKeyPair {
    cert = cert == null ? "" : cert;
    key = key == null ? "" : key;
  }

  public X509Certificate certificate() {
    return Pem.certificate(cert);
  }

  public PrivateKey privateKey() {
    return Pem.privateKey(key);
  }

  public boolean hasKey() {
    return !key.isEmpty();
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "CertificateKeyPair[cert=" + cert.length() + " chars, key=" + (key.isEmpty() ? "none" : "redacted") + "]";
  }
}
