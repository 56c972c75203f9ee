package io.capdjava.bootstrap.reconciler;

import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kubeadm bootstrap token in a workload cluster: the Secret {@code kube-system/bootstrap-token-<id>} of type
 * {@code bootstrap.kubernetes.io/token} that lets a new node join (upstream {@code token.go}), its expiry extended
 * while its Nodes join ({@link JoinTokenUpkeep}). The token itself is never logged.
 */
public final class BootstrapTokenSecret {
  private static final Pattern TOKEN = Pattern.compile("^([a-z0-9]{6})\\.([a-z0-9]{16})$");
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public BootstrapTokenSecret(Clock clock) {
    this.clock = clock;
  }

  /** On a token secret: the UID of the KubeadmConfig it was made for, so that it can be found again. */
  public static final String CONFIG_LABEL = "capd-java.io/kubeadm-config-uid";

  /**
   * A token made for the KubeadmConfig {@code configUid} that is still good for at least half a TTL (a rotation asks
   * for a new token exactly when the old one is not); the freshest such one.
   */
  public Optional<String> usableOf(KubernetesClient workload, String configUid, Duration ttl) {
    if (configUid == null) return Optional.empty();
    Instant goodUntil = clock.instant().plus(ttl.dividedBy(2));
    return workload.secrets().inNamespace(Contract.BootstrapToken.NAMESPACE).withLabel(CONFIG_LABEL, configUid).list()
        .getItems().stream()
        .filter(s -> expiration(s).map(e -> e.isAfter(goodUntil)).orElse(false))
        .max(java.util.Comparator.comparing(s -> expiration(s).orElseThrow()))
        .flatMap(s -> ClusterSecrets.data(s, Contract.BootstrapToken.TOKEN_ID_KEY)
            .flatMap(id -> ClusterSecrets.data(s, Contract.BootstrapToken.TOKEN_SECRET_KEY)
                .map(secret -> new String(id, StandardCharsets.UTF_8) + "." + new String(secret, StandardCharsets.UTF_8))));
  }

  /** Creates a new token valid for {@code ttl} in the workload cluster and returns it ({@code <id>.<secret>}). */
  public String create(KubernetesClient workload, Duration ttl) {
    return create(workload, ttl, null);
  }

  /** As {@link #create(KubernetesClient, Duration)}, labelled with the KubeadmConfig it is for (when given). */
  public String create(KubernetesClient workload, Duration ttl, String configUid) {
    String id = random(6);
    String secret = random(16);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(Contract.BootstrapToken.TOKEN_ID_KEY, id);
    data.put(Contract.BootstrapToken.TOKEN_SECRET_KEY, secret);
    data.put(Contract.BootstrapToken.EXPIRATION_KEY, expiration(ttl));
    data.put(Contract.BootstrapToken.USAGE_SIGNING_KEY, "true");
    data.put(Contract.BootstrapToken.USAGE_AUTHENTICATION_KEY, "true");
    data.put(Contract.BootstrapToken.EXTRA_GROUPS_KEY, Contract.BootstrapToken.KUBEADM_NODE_GROUP);
    data.put(Contract.BootstrapToken.DESCRIPTION_KEY, Contract.BootstrapToken.DESCRIPTION);
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    workload.secrets().inNamespace(Contract.BootstrapToken.NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata()
        .withName(Contract.BootstrapToken.secretName(id))
        .withNamespace(Contract.BootstrapToken.NAMESPACE)
        .withLabels(configUid == null ? Map.of() : Map.of(CONFIG_LABEL, configUid))
        .endMetadata()
        .withType(Contract.BootstrapToken.SECRET_TYPE)
        .withData(encoded)
        .build()).create();
    return id + "." + secret;
  }

  /** The secret of {@code token}; empty when it is gone (expired and cleaned up, or never created). */
  public Optional<Secret> get(KubernetesClient workload, String token) {
    return Optional.ofNullable(workload.secrets().inNamespace(Contract.BootstrapToken.NAMESPACE)
        .withName(Contract.BootstrapToken.secretName(tokenId(token))).get());
  }

  /** When the token expires; empty when the secret has no readable {@code expiration}. */
  static Optional<Instant> expiration(Secret secret) {
    return ClusterSecrets.data(secret, Contract.BootstrapToken.EXPIRATION_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8)).flatMap(BootstrapTokenSecret::parse);
  }

  /**
   * Extends the token to {@code now + ttl} (whether it needs it is {@link JoinTokenUpkeep}'s call); false when the
   * secret is gone meanwhile (deleted on expiry).
   */
  public boolean extend(KubernetesClient workload, Secret secret, Duration ttl) {
    String newExpiration = Base64.getEncoder().encodeToString(expiration(ttl).getBytes(StandardCharsets.UTF_8));
    String patch = Serialization.asJson(Map.of("data", Map.of(Contract.BootstrapToken.EXPIRATION_KEY, newExpiration)));
    try {
      workload.secrets().inNamespace(Contract.BootstrapToken.NAMESPACE).withName(secret.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) return false;
      throw e;
    }
  }

  /** The id part of {@code <id>.<secret>}; fails, naming the field, on anything else. */
  static String tokenId(String token) {
    Matcher m = TOKEN.matcher(token == null ? "" : token);
    if (!m.matches()) {
      throw new InvalidSpecException(
          "spec.joinConfiguration.discovery.bootstrapToken.token is not of the form [a-z0-9]{6}.[a-z0-9]{16}");
    }
    return m.group(1);
  }

  private String expiration(Duration ttl) {
    // RFC 3339 in UTC, whole seconds (Go's time.RFC3339)
    return clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Optional<Instant> parse(String rfc3339) {
    try {
      return Optional.of(java.time.OffsetDateTime.parse(rfc3339).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String random(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return b.toString();
  }
}
