package io.capdjava.core.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The discovery hash checked against openssl, the way kubeadm's docs compute it. */
class CaCertHashesTest {
  @Test
  void hashEqualsOpensslsSha256OfTheDerPublicKey() throws Exception {
    for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.RSA_2048, KeyAlgorithm.ECDSA_P256)) {
      CertificateKeyPair ca = CertificateIssuer.selfSignedCa(algorithm, null);
      String expected = "sha256:" + openssl(ca.cert());
      assertEquals(List.of(expected), CaCertHashes.of(ca.cert()), algorithm.apiName());
      assertTrue(expected.matches("sha256:[0-9a-f]{64}"), expected);
    }
  }

  @Test
  void aBundleGivesOneHashPerCertificate() throws Exception {
    CertificateKeyPair a = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
    CertificateKeyPair b = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
    assertEquals(List.of("sha256:" + openssl(a.cert()), "sha256:" + openssl(b.cert())), CaCertHashes.of(a.cert() + b.cert()));
  }

  /** openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum. */
  private static String openssl(String certPem) throws Exception {
    Process p = new ProcessBuilder("sh", "-c",
        "openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(certPem.getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed");
    return out.toString(StandardCharsets.US_ASCII).trim();
  }
}
