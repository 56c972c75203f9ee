package io.capdjava.core.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Certificates parsed back with the JDK's own X.509 parser, checked field by field against upstream's templates. */
class CertificateIssuerTest {
  private static final boolean[] CA_KEY_USAGE = keyUsage(0, 2, 5); // digitalSignature, keyEncipherment, keyCertSign
  private static final boolean[] CLIENT_KEY_USAGE = keyUsage(0, 2);

  @Test
  void selfSignedCaIsATenYearRsa2048CaNamedKubernetes() throws Exception {
    Instant before = Instant.now();
    CertificateKeyPair ca = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
    X509Certificate cert = jdkParse(ca.cert());

    assertTrue(ca.cert().startsWith("-----BEGIN CERTIFICATE-----\n"));
    assertTrue(ca.key().startsWith("-----BEGIN RSA PRIVATE KEY-----\n"), "PKCS#1 as Go's x509.MarshalPKCS1PrivateKey");
    assertEquals("CN=kubernetes", cert.getSubjectX500Principal().getName());
    assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal(), "self-signed");
    cert.verify(cert.getPublicKey());
    assertEquals(BigInteger.ZERO, cert.getSerialNumber());
    assertEquals(0, cert.getBasicConstraints(), "CA with path length 0");
    assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.19"), "basic constraints critical");
    assertArrayEquals(CA_KEY_USAGE, java.util.Arrays.copyOf(cert.getKeyUsage(), 9));
    assertEquals(2048, ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength());
    assertEquals("SHA256withRSA", cert.getSigAlgName());
    assertWithin(before.minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant(), Duration.ofSeconds(5));
    assertWithin(before.plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant(), Duration.ofSeconds(5));
    assertEquals(((RSAPublicKey) cert.getPublicKey()).getModulus(), ((RSAPrivateCrtKey) ca.privateKey()).getModulus(),
        "the key in tls.key belongs to the certificate");
  }

  @Test
  void caValidityAndAlgorithmFollowTheClusterConfiguration() throws Exception {
    Instant before = Instant.now();
    CertificateKeyPair ca = CertificateIssuer.selfSignedCa(KeyAlgorithm.fromApi("ECDSA-P256"), 30);
    X509Certificate cert = jdkParse(ca.cert());
    assertTrue(ca.key().startsWith("-----BEGIN EC PRIVATE KEY-----\n"), "SEC1 as Go's x509.MarshalECPrivateKey");
    assertTrue(cert.getPublicKey() instanceof ECPublicKey);
    assertTrue(ca.privateKey() instanceof ECPrivateKey);
    assertEquals("SHA256withECDSA", cert.getSigAlgName());
    assertWithin(before.plus(Duration.ofDays(30)), cert.getNotAfter().toInstant(), Duration.ofSeconds(5));
    assertEquals(3072, ((RSAPublicKey) jdkParse(CertificateIssuer.selfSignedCa(KeyAlgorithm.fromApi("RSA-3072"), 1).cert())
        .getPublicKey()).getModulus().bitLength());
    assertEquals("SHA384withECDSA", jdkParse(CertificateIssuer.selfSignedCa(KeyAlgorithm.ECDSA_P384, 1).cert()).getSigAlgName());
    var bad = assertThrows(IllegalArgumentException.class, () -> KeyAlgorithm.fromApi("DSA-1024"));
    assertTrue(bad.getMessage().contains("clusterConfiguration.encryptionAlgorithm"), bad.getMessage());
  }

  @Test
  void serviceAccountPairIsAPkixPublicKeyAndItsPrivateKey() throws Exception {
    CertificateKeyPair sa = CertificateIssuer.serviceAccountKeyPair(KeyAlgorithm.RSA_2048);
    assertTrue(sa.cert().startsWith("-----BEGIN PUBLIC KEY-----\n"), sa.cert());
    String body = sa.cert().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    assertEquals(2048, pub.getModulus().bitLength());
    assertEquals(pub.getModulus(), ((RSAPrivateCrtKey) sa.privateKey()).getModulus());
  }

  @Test
  void adminClientCertificateIsSignedByTheCaForClientAuthForOneYear() throws Exception {
    CertificateKeyPair ca = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
    X509Certificate caCert = jdkParse(ca.cert());
    Instant before = Instant.now();
    CertificateKeyPair admin = CertificateIssuer.adminClientCertificate(ca, KeyAlgorithm.RSA_2048);
    X509Certificate cert = jdkParse(admin.cert());

    cert.verify(caCert.getPublicKey());
    assertEquals(caCert.getSubjectX500Principal(), cert.getIssuerX500Principal());
    assertEquals("CN=kubernetes-admin,O=system:masters", cert.getSubjectX500Principal().getName());
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage(), "ClientAuth only");
    assertArrayEquals(CLIENT_KEY_USAGE, java.util.Arrays.copyOf(cert.getKeyUsage(), 9));
    assertEquals(-1, cert.getBasicConstraints(), "not a CA");
    assertEquals(caCert.getNotBefore(), cert.getNotBefore(), "NotBefore is the CA's, as upstream");
    assertWithin(before.plus(Duration.ofDays(365)), cert.getNotAfter().toInstant(), Duration.ofSeconds(5));
    assertTrue(cert.getSerialNumber().signum() > 0 && cert.getSerialNumber().bitLength() <= 63, "random serial < 2^63");
    assertNotEquals(cert.getSerialNumber(),
        jdkParse(CertificateIssuer.adminClientCertificate(ca, KeyAlgorithm.RSA_2048).cert()).getSerialNumber());
    assertEquals(((RSAPublicKey) cert.getPublicKey()).getModulus(), ((RSAPrivateCrtKey) admin.privateKey()).getModulus());
  }

  @Test
  void etcdClientCertificateMatchesKcpsTemplate() throws Exception {
    CertificateKeyPair etcdCa = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
    Instant before = Instant.now();
    X509Certificate cert = jdkParse(CertificateIssuer.etcdClientCertificate(etcdCa, KeyAlgorithm.RSA_2048).cert());
    cert.verify(jdkParse(etcdCa.cert()).getPublicKey());
    assertEquals("CN=cluster-api.x-k8s.io", cert.getSubjectX500Principal().getName());
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
    assertArrayEquals(keyUsage(0), java.util.Arrays.copyOf(cert.getKeyUsage(), 9));
    assertWithin(before.plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant(), Duration.ofSeconds(5));
  }

  @Test
  void keysAreReadBackInEveryEncodingUpstreamAccepts() throws Exception {
    CertificateKeyPair ca = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, 1);
    var key = ca.privateKey();
    String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    assertArrayEquals(key.getEncoded(), Pem.privateKey(pkcs8).getEncoded());
    assertFalse(ca.toString().contains("PRIVATE"), "toString never shows the key");
  }

  static X509Certificate jdkParse(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static boolean[] keyUsage(int... bits) {
    boolean[] out = new boolean[9];
    for (int b : bits) out[b] = true;
    return out;
  }

  private static void assertWithin(Instant expected, Instant actual, Duration tolerance) {
    assertTrue(Duration.between(expected, actual).abs().compareTo(tolerance) <= 0,
        "expected about " + expected + " but was " + actual);
  }
}
