package io.capdjava.bootstrap.reconciler;

import io.capdjava.core.CrashPoints;
import io.capdjava.api.bootstrap.v1beta2.BootstrapTokenDiscovery;
import io.capdjava.api.bootstrap.v1beta2.Discovery;
import io.capdjava.api.bootstrap.v1beta2.FileDiscovery;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.KubeConfigCluster;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.core.Contract;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.certs.CertificatePurpose;
import io.capdjava.core.certs.ClusterCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a joining node finds and trusts the cluster (upstream {@code reconcileDiscovery}): values the user left empty
 * are filled in, and each one filled is recorded in {@code specChanges} so it is written back to the KubeadmConfig,
 * as upstream persists them. Token discovery gets the Cluster's endpoint, the cluster CA's {@code sha256:} hashes
 * and a fresh bootstrap token created in the workload cluster; file discovery with a kubeConfig gets the server URL
 * and CA data.
 */
final class JoinDiscovery {
  private final WorkloadClusterClients workloads;
  private final BootstrapTokenSecret tokens;
  private final Duration tokenTtl;

  JoinDiscovery(WorkloadClusterClients workloads, BootstrapTokenSecret tokens, Duration tokenTtl) {
    this.workloads = workloads;
    this.tokens = tokens;
    this.tokenTtl = tokenTtl;
  }

  /**
   * False when the Cluster has no control plane endpoint yet (try again shortly). A token is made for the
   * KubeadmConfig {@code configUid}: one it already has in the workload cluster, usable, is reused (a provider killed
   * after creating it and before the spec recorded it left it there), so a crash never orphans a token.
   */
  boolean complete(JoinConfiguration join, Cluster cluster, ClusterCertificates certs, Map<String, Object> specChanges,
      String configUid) {
    if (join.discovery == null) join.discovery = new Discovery();
    Discovery d = join.discovery;
    if (d.file != null && (notEmpty(d.file.kubeConfigPath) || d.file.kubeConfig != null)) {
      return completeFile(d.file, cluster, certs, specChanges);
    }
    if (d.bootstrapToken == null) d.bootstrapToken = new BootstrapTokenDiscovery();
    BootstrapTokenDiscovery bt = d.bootstrapToken;
    Map<String, Object> changed = new LinkedHashMap<>();
    if (bt.caCertHashes == null || bt.caCertHashes.isEmpty()) {
      bt.caCertHashes = new ArrayList<>(certs.get(CertificatePurpose.CLUSTER_CA).orElseThrow().hashes());
      changed.put("caCertHashes", bt.caCertHashes);
    }
    if (!notEmpty(bt.apiServerEndpoint)) {
      if (cluster.getSpec().controlPlaneEndpoint == null || !cluster.getSpec().controlPlaneEndpoint.isValid()) {
        return false;
      }
      bt.apiServerEndpoint = hostPort(cluster);
      changed.put("apiServerEndpoint", bt.apiServerEndpoint);
    }
    if (!notEmpty(bt.token)) {
      KubernetesClient workload = workload(cluster);
      bt.token = tokens.usableOf(workload, configUid, tokenTtl).orElseGet(() -> {
        String created = tokens.create(workload, tokenTtl, configUid);
        // the token exists in the workload cluster; the KubeadmConfig's spec does not name it yet
        CrashPoints.reach("KubeadmConfig/join-token-created");
        return created;
      });
      changed.put("token", bt.token);
    }
    if (bt.caCertHashes == null || bt.caCertHashes.isEmpty()) {
      bt.unsafeSkipCAVerification = true;
      changed.put("unsafeSkipCAVerification", true);
    }
    if (!changed.isEmpty()) {
      discoveryChanges(specChanges).put("bootstrapToken", changed);
    }
    return true;
  }

  private boolean completeFile(FileDiscovery f, Cluster cluster, ClusterCertificates certs, Map<String, Object> specChanges) {
    if (f.kubeConfig == null) return true;
    if (f.kubeConfig.cluster == null) f.kubeConfig.cluster = new KubeConfigCluster();
    KubeConfigCluster c = f.kubeConfig.cluster;
    Map<String, Object> changed = new LinkedHashMap<>();
    if (!notEmpty(c.server)) {
      if (cluster.getSpec().controlPlaneEndpoint == null || !cluster.getSpec().controlPlaneEndpoint.isValid()) {
        return false;
      }
      c.server = "https://" + hostPort(cluster);
      changed.put("server", c.server);
    }
    if (!notEmpty(c.certificateAuthorityData)) {
      String ca = certs.get(CertificatePurpose.CLUSTER_CA).orElseThrow().keyPair().cert();
      c.certificateAuthorityData = Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8));
      changed.put("certificateAuthorityData", c.certificateAuthorityData);
    }
    if (!changed.isEmpty()) {
      discoveryChanges(specChanges).put("file", Map.of("kubeConfig", Map.of("cluster", changed)));
    }
    return true;
  }

  /** The secret of {@code token} in the workload cluster; empty when it is gone. */
  Optional<Secret> tokenSecret(Cluster cluster, String token) {
    return tokens.get(workload(cluster), token);
  }

  /** Extends the token to a full TTL; false when its secret is gone meanwhile. */
  boolean extendToken(Cluster cluster, Secret secret) {
    return tokens.extend(workload(cluster), secret, tokenTtl);
  }

  private KubernetesClient workload(Cluster cluster) {
    String ns = cluster.getMetadata().getNamespace();
    String name = cluster.getMetadata().getName();
    return workloads.forCluster(ns, name).orElseThrow(() -> new MissingInputException(
        Contract.Bootstrap.DATA_SECRET_AVAILABLE, "cannot create a bootstrap token: secret " + ns + "/"
            + Contract.Secret.kubeconfig(name) + " (the workload cluster's kubeconfig) not found"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> discoveryChanges(Map<String, Object> specChanges) {
    Map<String, Object> join = (Map<String, Object>) specChanges.computeIfAbsent("joinConfiguration", k -> new LinkedHashMap<>());
    return (Map<String, Object>) join.computeIfAbsent("discovery", k -> new LinkedHashMap<>());
  }

  /** {@code host:port} as Go's {@code net.JoinHostPort} (IPv6 in brackets). */
  static String hostPort(Cluster cluster) {
    String host = cluster.getSpec().controlPlaneEndpoint.host;
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return h + ":" + cluster.getSpec().controlPlaneEndpoint.port;
  }

  static List<String> copy(List<String> list) {
    return list == null ? null : new ArrayList<>(list);
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
