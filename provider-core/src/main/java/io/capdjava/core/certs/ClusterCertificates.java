package io.capdjava.core.certs;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.ExternalEtcd;
import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.core.ClusterSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificates of one cluster (upstream {@code secret.Certificates}): the cluster CA, etcd CA, front-proxy CA and
 * service-account key pair in secrets {@code <cluster>-ca|etcd|proxy|sa}, read from the management cluster or
 * generated when absent, and the files they become on a node under {@code /etc/kubernetes/pki}.
 *
 * <p>Generation is safe when two controllers race (CABPK and KCP, or two workers): a create that fails because the
 * secret now exists reads the stored one instead, so every caller ends up with the same key pairs.
 */
public final class ClusterCertificates {
  public static final String DEFAULT_CERTIFICATES_DIR = "/etc/kubernetes/pki";

  private final List<ClusterCertificate> certificates;

  private ClusterCertificates(List<ClusterCertificate> certificates) {
    this.certificates = certificates;
  }

  /**
   * What the first control plane machine needs (upstream {@code NewCertificatesForInitialControlPlane}): ca, sa,
   * front-proxy and etcd CA; with external etcd the etcd CA and the apiserver-etcd-client pair are user-supplied.
   */
  public static ClusterCertificates forInitialControlPlane(ClusterConfiguration config) {
    String dir = certificatesDir(config);
    Integer days = config == null ? null : config.caCertificateValidityPeriodDays;
    KeyAlgorithm algorithm = KeyAlgorithm.fromApi(config == null ? null : config.encryptionAlgorithm);
    return controlPlane(config, dir, days, algorithm);
  }

  /** What a joining control plane machine needs (upstream {@code NewControlPlaneJoinCerts}); lookup only. */
  public static ClusterCertificates forControlPlaneJoin(ClusterConfiguration config) {
    return controlPlane(config, certificatesDir(config), null, KeyAlgorithm.RSA_2048);
  }

  /** What a worker needs: only the cluster CA certificate, at {@code caCertPath} (default /etc/kubernetes/pki/ca.crt). */
  public static ClusterCertificates forWorker(String caCertPath) {
    String path = caCertPath == null || caCertPath.isEmpty() ? DEFAULT_CERTIFICATES_DIR + "/ca.crt" : caCertPath;
    return new ClusterCertificates(List.of(
        new ClusterCertificate(CertificatePurpose.CLUSTER_CA, path, null, false, null, KeyAlgorithm.RSA_2048)));
  }

  private static ClusterCertificates controlPlane(
      ClusterConfiguration config, String dir, Integer days, KeyAlgorithm algorithm) {
    List<ClusterCertificate> list = new ArrayList<>();
    list.add(new ClusterCertificate(CertificatePurpose.CLUSTER_CA, dir + "/ca.crt", dir + "/ca.key", false, days, algorithm));
    list.add(new ClusterCertificate(CertificatePurpose.SERVICE_ACCOUNT, dir + "/sa.pub", dir + "/sa.key", false, days, algorithm));
    list.add(new ClusterCertificate(
        CertificatePurpose.FRONT_PROXY_CA, dir + "/front-proxy-ca.crt", dir + "/front-proxy-ca.key", false, days, algorithm));
    ExternalEtcd external = externalEtcd(config);
    if (external != null) {
      list.add(new ClusterCertificate(
          CertificatePurpose.APISERVER_ETCD_CLIENT, external.certFile, external.keyFile, true, null, algorithm));
      list.add(new ClusterCertificate(CertificatePurpose.ETCD_CA, external.caFile, null, true, null, algorithm));
    } else {
      list.add(new ClusterCertificate(
          CertificatePurpose.ETCD_CA, dir + "/etcd/ca.crt", dir + "/etcd/ca.key", false, days, algorithm));
    }
    return new ClusterCertificates(list);
  }

  private static String certificatesDir(ClusterConfiguration config) {
    return config == null || config.certificatesDir == null || config.certificatesDir.isEmpty()
        ? DEFAULT_CERTIFICATES_DIR : config.certificatesDir;
  }

  private static ExternalEtcd externalEtcd(ClusterConfiguration config) {
    if (config == null || config.etcd == null || config.etcd.external == null) return null;
    ExternalEtcd e = config.etcd.external;
    boolean defined = (e.endpoints != null && !e.endpoints.isEmpty()) || notEmpty(e.caFile) || notEmpty(e.certFile)
        || notEmpty(e.keyFile);
    return defined ? e : null;
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  public List<ClusterCertificate> all() {
    return List.copyOf(certificates);
  }

  public Optional<ClusterCertificate> get(CertificatePurpose purpose) {
    return certificates.stream().filter(c -> c.purpose() == purpose).findFirst();
  }

  /**
   * Reads every certificate's secret in {@code namespace}; a missing one stays unloaded, except an external one,
   * which is an error (the user must supply it).
   */
  public ClusterCertificates lookup(KubernetesClient client, String namespace, String cluster) {
    for (ClusterCertificate c : certificates) {
      String name = c.purpose().secretName(cluster);
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s == null) {
        if (c.external()) {
          throw new ClusterCertificateException("external certificate not found: secret " + namespace + "/" + name);
        }
        continue;
      }
      c.loaded(ClusterCertificate.fromSecret(s), s);
    }
    return this;
  }

  /** {@link #lookup}, then generates and stores what is missing, owned by {@code owner} (a controller reference). */
  public ClusterCertificates lookupOrGenerate(
      KubernetesClient client, String namespace, String cluster, OwnerReference owner) {
    lookup(client, namespace, cluster);
    for (ClusterCertificate c : certificates) {
      if (c.keyPair() != null || !c.generate()) continue;
      Secret desired = c.asSecret(namespace, cluster, owner);
      try {
        c.created(client.secrets().inNamespace(namespace).resource(desired).create());
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
        // another controller stored it first: use theirs, so all machines get the same CA
        Secret existing = client.secrets().inNamespace(namespace).withName(desired.getMetadata().getName()).get();
        if (existing == null) throw e;
        c.loaded(ClusterCertificate.fromSecret(existing), existing);
      }
    }
    return this;
  }

  /** {@link #lookupOrGenerate(KubernetesClient, String, String, OwnerReference)} owned by {@code owner} as controller. */
  public ClusterCertificates lookupOrGenerate(
      KubernetesClient client, String namespace, String cluster, HasMetadata owner) {
    return lookupOrGenerate(client, namespace, cluster, ClusterSecrets.controllerReference(owner));
  }

  /** Fails naming the first certificate that is missing, or has no certificate, or (not external) no key. */
  public ClusterCertificates ensureAllExist() {
    for (ClusterCertificate c : certificates) {
      if (c.keyPair() == null) {
        throw new ClusterCertificateException("missing certificate: " + c.purpose().suffix());
      }
      if (c.keyPair().cert().isEmpty()) {
        throw new ClusterCertificateException("missing crt data for certificate: " + c.purpose().suffix());
      }
      if (!c.external() && !c.keyPair().hasKey()) {
        throw new ClusterCertificateException("missing key data for certificate: " + c.purpose().suffix());
      }
    }
    return this;
  }

  /** True when every certificate is loaded or generated. */
  public boolean allLoaded() {
    return certificates.stream().allMatch(c -> c.keyPair() != null);
  }

  /**
   * The node files in upstream's order: cluster CA, etcd CA, front-proxy CA, service account, apiserver-etcd client;
   * certificates 0640, keys 0600, owner root:root.
   */
  public List<File> asFiles() {
    List<File> out = new ArrayList<>();
    for (CertificatePurpose p : List.of(CertificatePurpose.CLUSTER_CA, CertificatePurpose.ETCD_CA,
        CertificatePurpose.FRONT_PROXY_CA, CertificatePurpose.SERVICE_ACCOUNT, CertificatePurpose.APISERVER_ETCD_CLIENT)) {
      get(p).ifPresent(c -> out.addAll(c.asFiles()));
    }
    return out;
  }
}
