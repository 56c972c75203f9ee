package io.capdjava.controlplane.phases;

import io.capdjava.core.CrashPoints;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.capdjava.core.certs.AdminKubeconfig;
import io.capdjava.core.certs.CertificateIssuer;
import io.capdjava.core.certs.CertificateKeyPair;
import io.capdjava.core.certs.CertificatePurpose;
import io.capdjava.core.certs.ClusterCertificate;
import io.capdjava.core.certs.ClusterCertificates;
import io.capdjava.core.certs.KeyAlgorithm;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cluster's admin kubeconfig secret {@code <cluster>-kubeconfig} (upstream {@code reconcileKubeconfig}): created
 * once the endpoint is known, with the KCP as controller, a client certificate signed by the cluster CA and
 * {@code server: https://<endpoint>}; a CAPI-typed secret made by someone else is adopted; a KCP-controlled one is
 * regenerated (same server) when its client certificate has less than half a year left. User secrets of other types
 * are never touched. The kubeconfig is never logged.
 */
public final class ClusterKubeconfigSecret {
  /** Upstream {@code dependentCertRequeueAfter}: how long to wait for the cluster CA. */
  public static final Duration CA_MISSING_REQUEUE = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(ClusterKubeconfigSecret.class);

  private final KubernetesClient client;

  public ClusterKubeconfigSecret(KubernetesClient client) {
    this.client = client;
  }

  /** Returns a delay when the cluster CA does not exist yet. */
  public Optional<Duration> reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    String namespace = scope.namespace();
    String cluster = scope.clusterName();
    Secret existing = client.secrets().inNamespace(namespace).withName(Contract.Secret.kubeconfig(cluster)).get();
    if (existing == null) {
      Optional<CertificateKeyPair> ca = clusterCa(scope);
      if (ca.isEmpty()) return Optional.of(CA_MISSING_REQUEUE);
      APIEndpoint endpoint = scope.cluster().getSpec().controlPlaneEndpoint;
      String kubeconfig = AdminKubeconfig.generate(cluster, AdminKubeconfig.server(endpoint.host, endpoint.port),
          ca.get(), algorithm(kcp));
      try {
        client.secrets().inNamespace(namespace)
            .resource(AdminKubeconfig.secret(namespace, cluster, kubeconfig, ClusterSecrets.controllerReference(kcp)))
            .create();
        CrashPoints.reach("KubeadmControlPlane/kubeconfig-created");
      } catch (KubernetesClientException e) {
        // created meanwhile (a concurrent reconcile): the next reconcile adopts or rotates it
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
      }
      return Optional.empty();
    }
    if (!Contract.Secret.TYPE.equals(existing.getType())) return Optional.empty();
    OwnerReference controller = ClusterSecrets.controllerReference(kcp);
    existing = adopt(existing, controller);
    if (needsRotation(existing)) {
      Optional<CertificateKeyPair> ca = clusterCa(scope);
      if (ca.isEmpty()) return Optional.of(CA_MISSING_REQUEUE);
      String server = server(existing).orElseGet(() -> {
        APIEndpoint endpoint = scope.cluster().getSpec().controlPlaneEndpoint;
        return AdminKubeconfig.server(endpoint.host, endpoint.port);
      });
      String kubeconfig = AdminKubeconfig.generate(cluster, server, ca.get(), algorithm(kcp));
      LOG.info("Rotating the client certificate of secret {}/{}", namespace, existing.getMetadata().getName());
      client.secrets().inNamespace(namespace).withName(existing.getMetadata().getName()).edit(s -> {
        s.getData().put(Contract.Secret.VALUE_KEY,
            Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
        return s;
      });
    }
    return Optional.empty();
  }

  private Secret adopt(Secret secret, OwnerReference controller) {
    List<OwnerReference> refs = secret.getMetadata().getOwnerReferences() == null
        ? List.of() : secret.getMetadata().getOwnerReferences();
    if (refs.stream().anyMatch(r -> exact(r, controller))) return secret;
    return client.secrets().inNamespace(secret.getMetadata().getNamespace())
        .withName(secret.getMetadata().getName()).edit(s -> {
          List<OwnerReference> updated = new ArrayList<>();
          for (OwnerReference r : s.getMetadata().getOwnerReferences() == null
              ? List.<OwnerReference>of() : s.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(r.getController()) || Objects.equals(r.getUid(), controller.getUid())) continue;
            updated.add(r);
          }
          updated.add(controller);
          s.getMetadata().setOwnerReferences(updated);
          return s;
        });
  }

  private static boolean needsRotation(Secret secret) {
    return ClusterSecrets.data(secret, Contract.Secret.VALUE_KEY)
        .map(v -> AdminKubeconfig.needsClientCertRotation(new String(v, StandardCharsets.UTF_8),
            CertificateIssuer.CLIENT_CERTIFICATE_RENEWAL))
        .orElse(false);
  }

  /** The server of the kubeconfig's current context, kept on rotation (upstream {@code RegenerateSecret}). */
  private static Optional<String> server(Secret secret) {
    return ClusterSecrets.data(secret, Contract.Secret.VALUE_KEY).flatMap(v -> {
      var config = Serialization.unmarshal(new String(v, StandardCharsets.UTF_8),
          io.fabric8.kubernetes.api.model.Config.class);
      if (config.getClusters() == null) return Optional.empty();
      String clusterName = config.getContexts() == null ? null : config.getContexts().stream()
          .filter(c -> Objects.equals(c.getName(), config.getCurrentContext()))
          .map(c -> c.getContext().getCluster()).findFirst().orElse(null);
      return config.getClusters().stream()
          .filter(c -> clusterName == null || Objects.equals(c.getName(), clusterName))
          .map(c -> c.getCluster().getServer()).filter(Objects::nonNull).findFirst();
    });
  }

  /** The cluster CA with its key; empty until its secret exists. */
  private Optional<CertificateKeyPair> clusterCa(ControlPlaneScope scope) {
    return ClusterCertificates.forWorker(null).lookup(client, scope.namespace(), scope.clusterName())
        .get(CertificatePurpose.CLUSTER_CA).map(ClusterCertificate::keyPair);
  }

  private static KeyAlgorithm algorithm(KubeadmControlPlane kcp) {
    var spec = kcp.getSpec().kubeadmConfigSpec;
    return KeyAlgorithm.fromApi(spec == null || spec.clusterConfiguration == null
        ? null : spec.clusterConfiguration.encryptionAlgorithm);
  }

  private static boolean exact(OwnerReference a, OwnerReference b) {
    return Objects.equals(a.getUid(), b.getUid()) && Objects.equals(a.getApiVersion(), b.getApiVersion())
        && Objects.equals(a.getKind(), b.getKind()) && Objects.equals(a.getName(), b.getName())
        && Objects.equals(a.getController(), b.getController())
        && Objects.equals(a.getBlockOwnerDeletion(), b.getBlockOwnerDeletion());
  }
}
