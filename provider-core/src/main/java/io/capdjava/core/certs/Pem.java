package io.capdjava.core.certs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM the way upstream writes and reads it ({@code util/certs}): certificates as {@code CERTIFICATE}, RSA keys as
 * PKCS#1 {@code RSA PRIVATE KEY}, EC keys as SEC1 {@code EC PRIVATE KEY}, public keys as PKIX {@code PUBLIC KEY};
 * reading accepts PKCS#1, PKCS#8 and SEC1 keys.
 */
public final class Pem {
  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  public static String privateKey(PrivateKey key) {
    if (key instanceof ECPrivateKey ec) return write(new PemObject("EC PRIVATE KEY", sec1(ec)));
    return write(key);
  }

  public static String publicKey(PublicKey key) {
    return write(key);
  }

  /** Every certificate in {@code pem} (a bundle may hold several), in order. */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) out.add(new JcaX509CertificateConverter().getCertificate(holder));
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) throw new IllegalArgumentException("no PEM certificate found");
    return out;
  }

  /** The first certificate in {@code pem}. */
  public static X509Certificate certificate(String pem) {
    return certificates(pem).get(0);
  }

  /** The private key in {@code pem}: PKCS#1 RSA, PKCS#8 or SEC1 EC. */
  public static PrivateKey privateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
        if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no PEM private key found");
  }

  /**
   * SEC1 with the named curve and the public point, as Go's {@code x509.MarshalECPrivateKey}: the JDK's PKCS#8
   * encoding leaves both out of the inner structure, and readers (fabric8, Go) need the curve there.
   */
  private static byte[] sec1(ECPrivateKey key) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
      X9ECParameters params = ECNamedCurveTable.getByOID(curve);
      byte[] point = params.getG().multiply(key.getS()).normalize().getEncoded(false);
      int orderBits = params.getN().bitLength();
      return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, key.getS(), new DERBitString(point), curve)
          .getEncoded("DER");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Go's pem.EncodeToMemory ends lines with \n; BC uses the platform separator
    return out.toString().replace("\r\n", "\n");
  }
}
