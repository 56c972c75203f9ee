package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bootstrap data secret of one KubeadmConfig (upstream {@code storeBootstrapData}): named after it, keys
 * {@code value} and {@code format}, type {@code cluster.x-k8s.io/secret}, labelled with the cluster, controlled by the
 * KubeadmConfig. CAPI core copies its name to the Machine, and infrastructure providers run its content.
 */
public final class BootstrapDataSecret {
  private final KubernetesClient client;

  public BootstrapDataSecret(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the secret, or replaces its data when it exists (a retried generation). */
  public void store(KubeadmConfig config, String cluster, String value, String format) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    data.put(Contract.Secret.VALUE_KEY, value.getBytes(StandardCharsets.UTF_8));
    data.put(Contract.Secret.FORMAT_KEY, format.getBytes(StandardCharsets.UTF_8));
    Secret desired = ClusterSecrets.build(config.getMetadata().getNamespace(), config.getMetadata().getName(), cluster,
        ownerReference(config), data);
    client.secrets().inNamespace(desired.getMetadata().getNamespace()).resource(desired)
        .createOr(op -> op.update());
  }

  /** Whether the secret exists. */
  public boolean exists(KubeadmConfig config) {
    return get(config) != null;
  }

  /**
   * Makes the KubeadmConfig the controller of an existing secret (after a move the UIDs differ; upstream
   * {@code ensureBootstrapSecretOwnersRef}). Fails when something of another kind controls it.
   */
  public void ensureOwned(KubeadmConfig config) {
    Secret secret = get(config);
    if (secret == null) return;
    OwnerReference wanted = ownerReference(config);
    List<OwnerReference> refs = secret.getMetadata().getOwnerReferences() == null
        ? new ArrayList<>() : new ArrayList<>(secret.getMetadata().getOwnerReferences());
    // the same reference at the same apiVersion: an owner reference naming an older version of the API is rewritten
    // to this one, as upstream's EnsureOwnerRef does
    if (refs.stream().anyMatch(r -> sameRef(r, wanted) && Objects.equals(r.getUid(), wanted.getUid())
        && Objects.equals(r.getApiVersion(), wanted.getApiVersion()) && Boolean.TRUE.equals(r.getController()))) {
      return;
    }
    refs.stream().filter(r -> Boolean.TRUE.equals(r.getController()) && !wanted.getKind().equals(r.getKind()))
        .findFirst().ifPresent(r -> {
          throw new InvalidSpecException("bootstrap data secret " + secret.getMetadata().getName()
              + " is already controlled by " + r.getKind() + " " + r.getName());
        });
    // replace a reference to the same KubeadmConfig (stale uid after a move), otherwise add ours
    refs.removeIf(r -> sameRef(r, wanted));
    refs.add(wanted);
    String patch = Serialization.asJson(Map.of("metadata", Map.of(
        "ownerReferences", refs, "resourceVersion", secret.getMetadata().getResourceVersion())));
    client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private Secret get(KubeadmConfig config) {
    return client.secrets().inNamespace(config.getMetadata().getNamespace())
        .withName(config.getMetadata().getName()).get();
  }

  static OwnerReference ownerReference(KubeadmConfig config) {
    return new OwnerReferenceBuilder()
        .withApiVersion(config.getApiVersion())
        .withKind(config.getKind())
        .withName(config.getMetadata().getName())
        .withUid(config.getMetadata().getUid())
        .withController(true)
        .build();
  }

  private static boolean sameRef(OwnerReference a, OwnerReference b) {
    return Objects.equals(group(a.getApiVersion()), group(b.getApiVersion())) && Objects.equals(a.getKind(), b.getKind())
        && Objects.equals(a.getName(), b.getName());
  }

  private static String group(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
