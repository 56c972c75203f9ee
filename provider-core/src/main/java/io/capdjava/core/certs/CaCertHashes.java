package io.capdjava.core.certs;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * kubeadm's discovery token CA cert hashes: {@code sha256:} and the lowercase hex SHA-256 of the certificate's
 * SubjectPublicKeyInfo (what {@code --discovery-token-ca-cert-hash} expects).
 */
public final class CaCertHashes {
  private CaCertHashes() {}

  public static String of(X509Certificate certificate) {
    try {
      // the SubjectPublicKeyInfo bytes exactly as in the certificate (Go's RawSubjectPublicKeyInfo)
      byte[] spki = Certificate.getInstance(certificate.getEncoded()).getSubjectPublicKeyInfo().getEncoded("DER");
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException | CertificateEncodingException | IOException e) {
      throw new IllegalStateException("cannot hash the CA certificate's public key", e);
    }
  }

  /** One hash per certificate in the PEM bundle, in order. */
  public static List<String> of(String certificatesPem) {
    return Pem.certificates(certificatesPem).stream().map(CaCertHashes::of).toList();
  }
}
