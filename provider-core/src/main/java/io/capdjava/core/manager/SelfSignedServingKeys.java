package io.capdjava.core.manager;

import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The self-signed serving certificate of a process's HTTPS endpoints (the metrics endpoints of its providers), made
 * at the first TLS handshake and then shared by every endpoint. Made at start-up, one per endpoint, its ECDSA keys
 * cost a quarter of the all-in-one process's start-up CPU on the main thread (the key arithmetic is still
 * interpreted then); by the first scrape the code is compiled and the key takes milliseconds. A process never scraped
 * makes none.
 */
final class SelfSignedServingKeys extends X509ExtendedKeyManager {
  static final SelfSignedServingKeys PROCESS = new SelfSignedServingKeys();

  private static final String ALIAS = "serving";
  /** The JSSE key type of {@link KeyAlgorithm#ECDSA_P256} keys. */
  private static final String KEY_TYPE = "EC";

  private volatile Identity identity;

  private record Identity(PrivateKey key, X509Certificate[] chain) {}

  private SelfSignedServingKeys() {}

  private Identity identity() {
    Identity made = identity;
    if (made != null) return made;
    synchronized (this) {
      if (identity == null) {
        CertificateKeyPair serving = CertificateIssuer.selfSignedServingCertificate(
            List.of("localhost", "127.0.0.1"), KeyAlgorithm.ECDSA_P256);
        identity = new Identity(serving.privateKey(), new X509Certificate[] {serving.certificate()});
      }
      return identity;
    }
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return KEY_TYPE.equals(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return KEY_TYPE.equals(keyType) ? ALIAS : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return KEY_TYPE.equals(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? identity().chain().clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? identity().key() : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
