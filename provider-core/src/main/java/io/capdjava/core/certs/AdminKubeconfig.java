package io.capdjava.core.certs;

import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The cluster admin kubeconfig and its secret {@code <cluster>-kubeconfig} (upstream {@code util/kubeconfig}): a
 * cluster entry {@code <cluster>} with {@code server: https://<host:port>} and the cluster CA, a user
 * {@code <cluster>-admin} with a fresh client certificate (CN kubernetes-admin, O system:masters) signed by the CA,
 * and the context {@code <cluster>-admin@<cluster>} as current context. The content is never logged.
 */
public final class AdminKubeconfig {
  private AdminKubeconfig() {}

  /** {@code https://host:port}, IPv6 hosts in brackets, as Go's {@code net.JoinHostPort}. */
  public static String server(String host, int port) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "https://" + h + ":" + port;
  }

  /** The kubeconfig YAML for {@code cluster} at {@code server}, with a client key of {@code algorithm}. */
  public static String generate(String cluster, String server, CertificateKeyPair clusterCa, KeyAlgorithm algorithm) {
    if (clusterCa == null || !clusterCa.hasKey()) {
      throw new ClusterCertificateException("cluster CA " + cluster + "-ca has no private key: cannot sign the admin certificate");
    }
    CertificateKeyPair client = CertificateIssuer.adminClientCertificate(clusterCa, algorithm);
    String user = cluster + "-admin";
    String context = user + "@" + cluster;
    // clientcmd.Write's layout (client-go v0.36): keys sorted, lists of named entries, no empty preferences
    return "apiVersion: v1\n"
        + "clusters:\n"
        + "- cluster:\n"
        + "    certificate-authority-data: " + b64(Pem.certificate(clusterCa.certificate())) + "\n"
        + "    server: " + server + "\n"
        + "  name: " + cluster + "\n"
        + "contexts:\n"
        + "- context:\n"
        + "    cluster: " + cluster + "\n"
        + "    user: " + user + "\n"
        + "  name: " + context + "\n"
        + "current-context: " + context + "\n"
        + "kind: Config\n"
        + "users:\n"
        + "- name: " + user + "\n"
        + "  user:\n"
        + "    client-certificate-data: " + b64(client.cert()) + "\n"
        + "    client-key-data: " + b64(client.key()) + "\n";
  }

  /**
   * The {@code <cluster>-kubeconfig} secret: key {@code value}, type cluster.x-k8s.io/secret, cluster-name label, and
   * {@code owner} (KCP's controller reference, or the Cluster as plain owner when core makes it).
   */
  public static Secret secret(String namespace, String cluster, String kubeconfig, OwnerReference owner) {
    return ClusterSecrets.build(namespace, Contract.Secret.kubeconfig(cluster), cluster, owner,
        Map.of(Contract.Secret.VALUE_KEY, kubeconfig.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * True when a client certificate in the kubeconfig expires within {@code threshold} (upstream
   * {@code NeedsClientCertRotation}; KCP uses half a year, {@link CertificateIssuer#CLIENT_CERTIFICATE_RENEWAL}).
   */
  public static boolean needsClientCertRotation(String kubeconfig, Duration threshold) {
    io.fabric8.kubernetes.api.model.Config config =
        Serialization.unmarshal(kubeconfig, io.fabric8.kubernetes.api.model.Config.class);
    Instant limit = Instant.now().plus(threshold);
    if (config.getUsers() == null) return false;
    for (NamedAuthInfo user : config.getUsers()) {
      String data = user.getUser() == null ? null : user.getUser().getClientCertificateData();
      if (data == null) continue;
      String pem = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
      if (Pem.certificate(pem).getNotAfter().toInstant().isBefore(limit)) return true;
    }
    return false;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
