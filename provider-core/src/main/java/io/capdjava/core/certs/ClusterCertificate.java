package io.capdjava.core.certs;

import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cluster certificate (upstream {@code secret.Certificate}): its purpose, where it goes on a node, and, once looked
 * up or generated, its key pair and secret. External certificates are supplied by the user and never generated.
 */
public final class ClusterCertificate {
  static final String ROOT_OWNER = "root:root";

  private final CertificatePurpose purpose;
  private final String certFile;
  private final String keyFile;
  private final boolean external;
  private final Integer validityDays;
  private final KeyAlgorithm algorithm;
  private CertificateKeyPair keyPair;
  private boolean generated;
  private Secret secret;

  ClusterCertificate(
      CertificatePurpose purpose, String certFile, String keyFile, boolean external, Integer validityDays,
      KeyAlgorithm algorithm) {
    this.purpose = purpose;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.external = external;
    this.validityDays = validityDays;
    this.algorithm = algorithm;
  }

  public CertificatePurpose purpose() {
    return purpose;
  }

  public String certFile() {
    return certFile;
  }

  public String keyFile() {
    return keyFile;
  }

  public boolean external() {
    return external;
  }

  /** The key pair; null until looked up or generated. */
  public CertificateKeyPair keyPair() {
    return keyPair;
  }

  /** True when this controller generated the key pair in this pass (and so created its secret). */
  public boolean generated() {
    return generated;
  }

  /** The secret as read or created; null when it does not exist. */
  public Secret secret() {
    return secret;
  }

  /** The discovery hashes of the certificate(s) in this pair ({@code sha256:<hex>}). */
  public List<String> hashes() {
    if (keyPair == null) throw new ClusterCertificateException(purpose.suffix() + " certificate is not loaded");
    return CaCertHashes.of(keyPair.cert());
  }

  void loaded(CertificateKeyPair pair, Secret from) {
    this.keyPair = pair;
    this.secret = from;
    this.generated = false;
  }

  /** Generates the pair when this kind of certificate can be generated; the apiserver-etcd client never is. */
  boolean generate() {
    if (purpose == CertificatePurpose.APISERVER_ETCD_CLIENT || external) return false;
    keyPair = purpose == CertificatePurpose.SERVICE_ACCOUNT
        ? CertificateIssuer.serviceAccountKeyPair(algorithm)
        : CertificateIssuer.selfSignedCa(algorithm, validityDays);
    generated = true;
    return true;
  }

  void created(Secret s) {
    this.secret = s;
  }

  /** The secret holding this pair: {@code <cluster>-<purpose>}, typed, labelled and owned by {@code owner} if generated. */
  public Secret asSecret(String namespace, String cluster, OwnerReference owner) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    data.put(Contract.Secret.TLS_KEY_KEY, keyPair.key().getBytes(StandardCharsets.UTF_8));
    data.put(Contract.Secret.TLS_CERT_KEY, keyPair.cert().getBytes(StandardCharsets.UTF_8));
    return ClusterSecrets.build(namespace, purpose.secretName(cluster), cluster, generated ? owner : null, data);
  }

  /** The node files: the certificate (0640) and the key (0600), owner root:root, each only when present. */
  public List<File> asFiles() {
    List<File> out = new ArrayList<>();
    if (keyPair == null) return out;
    if (!keyPair.cert().isEmpty() && notEmpty(certFile)) out.add(file(certFile, "0640", keyPair.cert()));
    // a worker's CA has no key path: its key never leaves the management cluster
    if (!keyPair.key().isEmpty() && notEmpty(keyFile)) out.add(file(keyFile, "0600", keyPair.key()));
    return out;
  }

  static CertificateKeyPair fromSecret(Secret s) {
    var cert = ClusterSecrets.data(s, Contract.Secret.TLS_CERT_KEY);
    if (cert.isEmpty()) {
      throw new ClusterCertificateException(
          "secret " + s.getMetadata().getName() + " has no " + Contract.Secret.TLS_CERT_KEY + " data");
    }
    String key = ClusterSecrets.data(s, Contract.Secret.TLS_KEY_KEY)
        .map(k -> new String(k, StandardCharsets.UTF_8)).orElse("");
    return new CertificateKeyPair(new String(cert.get(), StandardCharsets.UTF_8), key);
  }

  private static File file(String path, String permissions, String content) {
    File f = new File();
    f.path = path;
    f.owner = ROOT_OWNER;
    f.permissions = permissions;
    f.content = content;
    return f;
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ClusterCertificate[" + purpose.suffix() + (external ? ", external" : "") + ", "
        + (keyPair == null ? "not loaded" : generated ? "generated" : "loaded") + "]";
  }
}
