package io.capdjava.core.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The key algorithms of {@code ClusterConfiguration.encryptionAlgorithm} (upstream {@code certs.NewSigner}); an
 * empty value means RSA-2048, upstream's default.
 */
public enum KeyAlgorithm {
  RSA_2048("RSA-2048", "RSA", 2048, "SHA256withRSA"),
  RSA_3072("RSA-3072", "RSA", 3072, "SHA256withRSA"),
  RSA_4096("RSA-4096", "RSA", 4096, "SHA256withRSA"),
  ECDSA_P256("ECDSA-P256", "EC", 256, "SHA256withECDSA"),
  ECDSA_P384("ECDSA-P384", "EC", 384, "SHA384withECDSA");

  private final String apiName;
  private final String jcaAlgorithm;
  private final int size;
  private final String signatureAlgorithm;

  KeyAlgorithm(String apiName, String jcaAlgorithm, int size, String signatureAlgorithm) {
    this.apiName = apiName;
    this.jcaAlgorithm = jcaAlgorithm;
    this.size = size;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The algorithm named by {@code encryptionAlgorithm}; null or empty is RSA-2048. */
  public static KeyAlgorithm fromApi(String encryptionAlgorithm) {
    if (encryptionAlgorithm == null || encryptionAlgorithm.isEmpty()) return RSA_2048;
    for (KeyAlgorithm a : values()) {
      if (a.apiName.equals(encryptionAlgorithm)) return a;
    }
    throw new IllegalArgumentException(
        "clusterConfiguration.encryptionAlgorithm: unsupported value \"" + encryptionAlgorithm
            + "\" (one of ECDSA-P256, ECDSA-P384, RSA-2048, RSA-3072, RSA-4096)");
  }

  /** The name used in the API ({@code RSA-2048}, {@code ECDSA-P256}, ...). */
  public String apiName() {
    return apiName;
  }

  /** The JCA signature algorithm a CA with a key of this kind signs with (Go's x509 picks the same). */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /**
   * Keys of the default algorithm, made ahead ({@link KeyReserve}): six, what a cluster's creation asks for.
   * Holder idiom: no reserve in a process that never asks.
   */
  private static final class DefaultKeys {
    static final KeyReserve RESERVE = new KeyReserve(RSA_2048.apiName, 6, RSA_2048::generateNow);
  }

  /** A new key pair of this algorithm (for RSA-2048, possibly made shortly before, in the background). */
  public KeyPair generate() {
    return this == RSA_2048 ? DefaultKeys.RESERVE.take() : generateNow();
  }

  private KeyPair generateNow() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaAlgorithm);
      if ("EC".equals(jcaAlgorithm)) {
        generator.initialize(new ECGenParameterSpec(size == 256 ? "secp256r1" : "secp384r1"));
      } else {
        generator.initialize(size);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + apiName + " key", e);
    }
  }

  /** The signature algorithm for a signer holding {@code key} (RSA or EC, with the curve's hash size). */
  static String signatureAlgorithmFor(java.security.PrivateKey key) {
    if (key instanceof java.security.interfaces.ECPrivateKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
    return "SHA256withRSA";
  }
}
