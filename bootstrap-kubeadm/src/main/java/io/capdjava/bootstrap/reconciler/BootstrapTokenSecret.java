package io.capdjava.bootstrap.reconciler;

import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * while the Machine has no Node. The token itself is never logged.
 */
public final class BootstrapTokenSecret {
  private static final Pattern TOKEN = Pattern.compile("^([a-z0-9]{6})\\.([a-z0-9]{16})$");
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public BootstrapTokenSecret(Clock clock) {
    this.clock = clock;
  }

  /** Creates a new token valid for {@code ttl} in the workload cluster and returns it ({@code <id>.<secret>}). */
  public String create(KubernetesClient workload, Duration ttl) {
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

  /**
   * Extends the token to {@code now + ttl} unless it is still valid for more than {@code ttl * 5/6} (upstream
   * {@code refreshBootstrapTokenIfNeeded}); true when it was extended.
   */
  public boolean refreshIfNeeded(KubernetesClient workload, String token, Duration ttl) {
    Secret secret = get(workload, token).orElseThrow(() -> new MissingInputException(
        Contract.Bootstrap.DATA_SECRET_AVAILABLE, "bootstrap token secret kube-system/"
            + Contract.BootstrapToken.secretName(tokenId(token)) + " not found in the workload cluster;"
            + " remove spec.joinConfiguration.discovery.bootstrapToken.token to create a new one"));
    Optional<Instant> expiration = ClusterSecrets.data(secret, Contract.BootstrapToken.EXPIRATION_KEY)
        .map(b -> new String(b, StandardCharsets.UTF_8)).flatMap(BootstrapTokenSecret::parse);
    Instant now = clock.instant();
    if (expiration.isPresent() && expiration.get().isAfter(now.plus(ttl.multipliedBy(5).dividedBy(6)))) return false;
    String newExpiration = Base64.getEncoder().encodeToString(expiration(ttl).getBytes(StandardCharsets.UTF_8));
    workload.secrets().inNamespace(Contract.BootstrapToken.NAMESPACE).withName(secret.getMetadata().getName())
        .edit(s -> {
          s.getData().put(Contract.BootstrapToken.EXPIRATION_KEY, newExpiration);
          return s;
        });
    return true;
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
