package io.capdjava.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets the way CAPI makes them: type {@code cluster.x-k8s.io/secret}, labelled with the cluster name (the
 * providers' secret caches select on that label), owned by the object that made them so they go when it goes.
 */
public final class ClusterSecrets {
  private ClusterSecrets() {}

  public static Secret build(
      String namespace, String name, String clusterName, HasMetadata controller, Map<String, byte[]> data) {
    return build(namespace, name, clusterName, controllerReference(controller), data);
  }

  /** As {@link #build(String, String, String, HasMetadata, Map)} with an owner reference of any kind, or none (null). */
  public static Secret build(
      String namespace, String name, String clusterName, OwnerReference owner, Map<String, byte[]> data) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
    SecretBuilder secret = new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .addToLabels(Contract.Label.CLUSTER_NAME, clusterName)
        .endMetadata()
        .withType(Contract.Secret.TYPE)
        .withData(encoded);
    if (owner != null) secret.editMetadata().withOwnerReferences(owner).endMetadata();
    return secret.build();
  }

  /** A controller owner reference to {@code owner}, as controller-runtime's {@code SetControllerReference} makes. */
  public static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The decoded value of {@code key}, if the secret has it. */
  public static Optional<byte[]> data(Secret secret, String key) {
    if (secret == null) return Optional.empty();
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(Base64.getDecoder().decode(secret.getData().get(key)));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }
}
