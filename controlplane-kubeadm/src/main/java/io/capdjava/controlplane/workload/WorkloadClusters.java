package io.capdjava.controlplane.workload;

import io.capdjava.controlplane.workload.etcd.EtcdClientTls;
import io.capdjava.controlplane.workload.etcd.EtcdClients;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.KeyAlgorithm;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workload clusters KCP talks to (upstream {@code Management.GetWorkloadCluster} with its ClusterCache): the API
 * client from {@code <cluster>-kubeconfig}, etcd clients with a client certificate issued from {@code <cluster>-etcd}
 * (issued once per CA and key algorithm, kept in memory), and when each cluster last answered.
 */
public final class WorkloadClusters {
  private final KubernetesClient management;
  private final WorkloadClusterClients clients;
  private final Map<String, EtcdIdentity> etcdIdentities = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastReached = new ConcurrentHashMap<>();

  private record EtcdIdentity(String caCert, KeyAlgorithm algorithm, KubernetesClient workload, EtcdClients clients) {}

  public WorkloadClusters(KubernetesClient management, WorkloadClusterClients clients) {
    this.management = management;
    this.clients = clients;
  }

  /** No {@code <cluster>-kubeconfig} secret (yet): the workload cluster cannot be reached. */
  public static final class NotConnectedException extends IllegalStateException {
    NotConnectedException(String message) {
      super(message);
    }
  }

  /**
   * The workload cluster {@code namespace/cluster}; {@code algorithm} is the key type of KCP's etcd client certificate
   * (the KCP's {@code encryptionAlgorithm}).
   */
  public WorkloadCluster get(String namespace, String cluster, KeyAlgorithm algorithm) {
    KubernetesClient client = clients.forCluster(namespace, cluster).orElseThrow(() -> new NotConnectedException(
        "secret " + namespace + "/" + Contract.Secret.kubeconfig(cluster) + " does not exist yet"));
    return new RemoteWorkloadCluster(client, () -> etcdClients(namespace, cluster, algorithm, client));
  }

  /** Records that the workload cluster answered. */
  public void reached(String namespace, String cluster, Instant when) {
    lastReached.put(namespace + "/" + cluster, when);
  }

  /** When the workload cluster last answered, as far as this process knows. */
  public Optional<Instant> lastReached(String namespace, String cluster) {
    return Optional.ofNullable(lastReached.get(namespace + "/" + cluster));
  }

  /** Forgets a cluster that is gone. */
  public void forget(String namespace, String cluster) {
    String key = namespace + "/" + cluster;
    etcdIdentities.remove(key);
    lastReached.remove(key);
    clients.forget(namespace, cluster);
  }

  private EtcdClients etcdClients(String namespace, String cluster, KeyAlgorithm algorithm, KubernetesClient workload) {
    CertificateKeyPair ca = etcdCa(namespace, cluster);
    EtcdIdentity identity = etcdIdentities.compute(namespace + "/" + cluster, (k, old) -> {
      // the CA is not expected to rotate, but a new one (or a rebuilt workload client) needs a new identity
      if (old != null && old.caCert.equals(ca.cert()) && old.algorithm == algorithm && old.workload == workload) {
        return old;
      }
      return new EtcdIdentity(ca.cert(), algorithm, workload,
          new EtcdClients(workload, EtcdClientTls.sslContext(ca, algorithm)));
    });
    return identity.clients;
  }

  private CertificateKeyPair etcdCa(String namespace, String cluster) {
    String name = Contract.Secret.etcdCa(cluster);
    Secret secret = management.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalStateException("failed to get secret; etcd CA bundle " + namespace + "/" + name + " not found");
    }
    String cert = ClusterSecrets.data(secret, Contract.Secret.TLS_CERT_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .orElseThrow(() -> new IllegalStateException("etcd tls crt does not exist for cluster " + namespace + "/"
            + cluster));
    String key = ClusterSecrets.data(secret, Contract.Secret.TLS_KEY_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    return new CertificateKeyPair(cert, key);
  }
}
