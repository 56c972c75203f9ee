package io.capdjava.core.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the certificates CAPI generates, with upstream's templates: the self-signed cluster CAs
 * ({@code util/secret: newSelfSignedCACert}), the service-account key pair, client certificates signed by a CA
 * ({@code util/certs: Config.NewSignedCert}, used for the admin kubeconfig) and KCP's etcd client certificate
 * ({@code controlplane/kubeadm/pkg: newClientCert}).
 */
public final class CertificateIssuer {
  /** Upstream {@code DefaultCACertificatesExpiryDays}. */
  public static final int DEFAULT_CA_VALIDITY_DAYS = 3650;
  /** Upstream {@code certs.DefaultCertDuration}: client certificates live one year. */
  public static final Duration CLIENT_CERTIFICATE_VALIDITY = Duration.ofDays(365);
  /** Upstream {@code certs.ClientCertificateRenewalDuration}: renew when less than half a year is left. */
  public static final Duration CLIENT_CERTIFICATE_RENEWAL = CLIENT_CERTIFICATE_VALIDITY.dividedBy(2);
  /** The common name of every CA CAPI generates (cluster, etcd, front-proxy alike). */
  public static final String CA_COMMON_NAME = "kubernetes";
  /** Upstream's admin kubeconfig user. */
  public static final String ADMIN_COMMON_NAME = "kubernetes-admin";
  public static final String ADMIN_ORGANIZATION = "system:masters";
  /** The common name KCP's etcd client certificate carries. */
  public static final String ETCD_CLIENT_COMMON_NAME = "cluster-api.x-k8s.io";

  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateIssuer() {}

  /**
   * A self-signed CA: serial 0, CN kubernetes, valid from 5 minutes ago for {@code validityDays} (3650 when null or 0),
   * key usage KeyEncipherment|DigitalSignature|CertSign, CA with path length 0.
   */
  public static CertificateKeyPair selfSignedCa(KeyAlgorithm algorithm, Integer validityDays) {
    int days = validityDays == null || validityDays == 0 ? DEFAULT_CA_VALIDITY_DAYS : validityDays;
    KeyPair keys = algorithm.generate();
    Instant now = Instant.now();
    X500Name subject = name(CA_COMMON_NAME, List.of());
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(subject, BigInteger.ZERO, Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(days))), subject, keys.getPublic())
              .addExtension(Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.keyEncipherment | KeyUsage.digitalSignature | KeyUsage.keyCertSign))
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, keys.getPrivate());
      return new CertificateKeyPair(Pem.certificate(cert), Pem.privateKey(keys.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a self-signed CA certificate", e);
    }
  }

  /**
   * A self-signed serving certificate for {@code hostNames} (the first is the common name), as client-go's
   * {@code GenerateSelfSignedCertKey} makes for controller-runtime's metrics server when no certificate is given:
   * valid for a year from an hour ago, DigitalSignature|KeyEncipherment, ServerAuth.
   */
  public static CertificateKeyPair selfSignedServingCertificate(List<String> hostNames, KeyAlgorithm algorithm) {
    KeyPair keys = algorithm.generate();
    Instant now = Instant.now();
    X500Name subject = name(hostNames.get(0), List.of());
    try {
      org.bouncycastle.asn1.x509.GeneralName[] names = hostNames.stream()
          .map(h -> new org.bouncycastle.asn1.x509.GeneralName(
              h.matches("[0-9.]+|.*:.*") ? org.bouncycastle.asn1.x509.GeneralName.iPAddress
                  : org.bouncycastle.asn1.x509.GeneralName.dNSName, h))
          .toArray(org.bouncycastle.asn1.x509.GeneralName[]::new);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(subject, new BigInteger(63, RANDOM),
              Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
              keys.getPublic())
              .addExtension(Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.keyEncipherment | KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false,
                  new org.bouncycastle.asn1.x509.GeneralNames(names));
      X509Certificate cert = sign(builder, keys.getPrivate());
      return new CertificateKeyPair(Pem.certificate(cert), Pem.privateKey(keys.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a self-signed serving certificate", e);
    }
  }

  /**
   * A serving certificate signed by {@code ca} for {@code dnsNamesAndIps} (IP literals become IP SANs, the rest DNS
   * SANs; the first entry is the common name), as upstream's in-memory provider issues its API server and etcd serving
   * certificates ({@code NewSignedCert} with ServerAuth): random serial, valid from the CA's NotBefore for one year,
   * KeyEncipherment|DigitalSignature, extended key usage ServerAuth.
   */
  public static CertificateKeyPair servingCertificate(
      CertificateKeyPair ca, List<String> dnsNamesAndIps, KeyAlgorithm algorithm) {
    if (dnsNamesAndIps == null || dnsNamesAndIps.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one DNS name or IP");
    }
    return servingCertificate(ca, dnsNamesAndIps.get(0), dnsNamesAndIps, algorithm);
  }

  /** {@link #servingCertificate(CertificateKeyPair, List, KeyAlgorithm)} with an explicit common name. */
  public static CertificateKeyPair servingCertificate(
      CertificateKeyPair ca, String commonName, List<String> dnsNamesAndIps, KeyAlgorithm algorithm) {
    if (commonName == null || commonName.isEmpty()) throw new IllegalArgumentException("must specify a CommonName");
    X509Certificate caCert = ca.certificate();
    KeyPair keys = algorithm.generate();
    try {
      org.bouncycastle.asn1.x509.GeneralName[] names = dnsNamesAndIps.stream()
          .distinct()
          .map(h -> new org.bouncycastle.asn1.x509.GeneralName(
              isIpLiteral(h) ? org.bouncycastle.asn1.x509.GeneralName.iPAddress
                  : org.bouncycastle.asn1.x509.GeneralName.dNSName, h))
          .toArray(org.bouncycastle.asn1.x509.GeneralName[]::new);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(caCert, new BigInteger(63, RANDOM), caCert.getNotBefore(),
              Date.from(Instant.now().plus(CLIENT_CERTIFICATE_VALIDITY)), jcaName(commonName, List.of()),
              keys.getPublic())
              .addExtension(Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.keyEncipherment | KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false,
                  new org.bouncycastle.asn1.x509.GeneralNames(names));
      byte[] caKeyId = caCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
      if (caKeyId != null) {
        byte[] id = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(caKeyId)).getKeyIdentifier();
        builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(id));
      }
      X509Certificate cert = sign(builder, ca.privateKey());
      return new CertificateKeyPair(Pem.certificate(cert), Pem.privateKey(keys.getPrivate()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot sign a serving certificate for " + commonName, e);
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+") || (host.contains(":") && host.matches("[0-9A-Fa-f:.]+"));
  }

  /** The service-account signing key pair: {@code cert} is the PEM public key, {@code key} the private key. */
  public static CertificateKeyPair serviceAccountKeyPair(KeyAlgorithm algorithm) {
    KeyPair keys = algorithm.generate();
    return new CertificateKeyPair(Pem.publicKey(keys.getPublic()), Pem.privateKey(keys.getPrivate()));
  }

  /**
   * A client certificate signed by {@code ca} with a fresh key of {@code algorithm} (upstream
   * {@code NewSignedCert} with ClientAuth): random serial, valid from the CA's NotBefore for one year, key usage
   * KeyEncipherment|DigitalSignature, extended key usage ClientAuth.
   */
  public static CertificateKeyPair clientCertificate(
      CertificateKeyPair ca, String commonName, List<String> organizations, KeyAlgorithm algorithm) {
    X509Certificate caCert = ca.certificate();
    Instant notAfter = Instant.now().plus(CLIENT_CERTIFICATE_VALIDITY);
    return signed(ca, caCert, commonName, organizations, algorithm, new BigInteger(63, RANDOM),
        caCert.getNotBefore().toInstant(), notAfter, KeyUsage.keyEncipherment | KeyUsage.digitalSignature);
  }

  /** The admin kubeconfig's client certificate: CN kubernetes-admin, O system:masters. */
  public static CertificateKeyPair adminClientCertificate(CertificateKeyPair clusterCa, KeyAlgorithm algorithm) {
    return clientCertificate(clusterCa, ADMIN_COMMON_NAME, List.of(ADMIN_ORGANIZATION), algorithm);
  }

  /**
   * KCP's client certificate for etcd, signed by the etcd CA (upstream {@code newClientCert}): CN
   * cluster-api.x-k8s.io, serial 0, valid from 5 minutes ago for 10 years, DigitalSignature, ClientAuth.
   */
  public static CertificateKeyPair etcdClientCertificate(CertificateKeyPair etcdCa, KeyAlgorithm algorithm) {
    Instant now = Instant.now();
    return signed(etcdCa, etcdCa.certificate(), ETCD_CLIENT_COMMON_NAME, List.of(), algorithm, BigInteger.ZERO,
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(3650)), KeyUsage.digitalSignature);
  }

  private static CertificateKeyPair signed(
      CertificateKeyPair ca, X509Certificate caCert, String commonName, List<String> organizations,
      KeyAlgorithm algorithm, BigInteger serial, Instant notBefore, Instant notAfter, int keyUsage) {
    if (commonName == null || commonName.isEmpty()) throw new IllegalArgumentException("must specify a CommonName");
    KeyPair keys = algorithm.generate();
    PrivateKey caKey = ca.privateKey();
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(caCert, serial, Date.from(notBefore), Date.from(notAfter),
              jcaName(commonName, organizations), keys.getPublic())
              .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      // as Go's x509: the authority key id is the CA's subject key id, when it has one
      byte[] caKeyId = caCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
      if (caKeyId != null) {
        byte[] id = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(caKeyId)).getKeyIdentifier();
        builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(id));
      }
      X509Certificate cert = sign(builder, caKey);
      return new CertificateKeyPair(Pem.certificate(cert), Pem.privateKey(keys.getPrivate()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot sign a client certificate for " + commonName, e);
    }
  }

  private static javax.security.auth.x500.X500Principal jcaName(String commonName, List<String> organizations) {
    try {
      return new javax.security.auth.x500.X500Principal(name(commonName, organizations).getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // Go's pkix.Name puts O before CN in the RDN sequence
  private static X500Name name(String commonName, List<String> organizations) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : organizations) builder.addRDN(BCStyle.O, o);
    builder.addRDN(BCStyle.CN, commonName);
    return builder.build();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(signer)).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
