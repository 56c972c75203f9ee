package io.capdjava.controlplane.workload.etcd;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Trust in an etcd member reached through a port-forward (upstream {@code verifyEtcdServerCertificate}): its serving
 * certificate must chain up to the cluster's etcd CA and be for server authentication; the address it names does not
 * matter (the client talks to 127.0.0.1).
 */
class EtcdCaTrustManagerTest {
  static final CertificateKeyPair ETCD_CA = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);
  static final CertificateKeyPair OTHER_CA = CertificateIssuer.selfSignedCa(KeyAlgorithm.RSA_2048, null);

  /** What kubeadm gives an etcd member: etcd/server.crt for the node's name and address. */
  static X509Certificate serving(CertificateKeyPair ca, KeyPurposeId purpose) throws Exception {
    KeyPair keys = KeyAlgorithm.RSA_2048.generate();
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(7), Date.from(now),
        Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=node-1"), keys.getPublic())
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "node-1"),
                new GeneralName(GeneralName.iPAddress, "172.18.0.3")}));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.privateKey())));
  }

  @Test
  void aServingCertificateOfTheEtcdCaIsTrustedWhateverAddressItNames() throws Exception {
    EtcdCaTrustManager trust = new EtcdCaTrustManager(ETCD_CA.certificate());
    assertDoesNotThrow(() -> trust.checkServerTrusted(
        new X509Certificate[] {serving(ETCD_CA, KeyPurposeId.id_kp_serverAuth)}, "RSA", (javax.net.ssl.SSLEngine) null));
  }

  @Test
  void anotherCaOrAClientCertificateIsRefused() throws Exception {
    EtcdCaTrustManager trust = new EtcdCaTrustManager(ETCD_CA.certificate());
    CertificateException other = assertThrows(CertificateException.class, () -> trust.checkServerTrusted(
        new X509Certificate[] {serving(OTHER_CA, KeyPurposeId.id_kp_serverAuth)}, "RSA"));
    assertTrue(other.getMessage().contains("not signed by the cluster's etcd CA"), other.getMessage());
    CertificateException client = assertThrows(CertificateException.class, () -> trust.checkServerTrusted(
        new X509Certificate[] {serving(ETCD_CA, KeyPurposeId.id_kp_clientAuth)}, "RSA"));
    assertTrue(client.getMessage().contains("not for server authentication"), client.getMessage());
    assertThrows(CertificateException.class, () -> trust.checkServerTrusted(new X509Certificate[0], "RSA"));
  }
}
