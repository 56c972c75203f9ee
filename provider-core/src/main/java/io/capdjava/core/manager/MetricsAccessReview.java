package io.capdjava.core.manager;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Who may read /metrics, decided by the API server as controller-runtime's secure metrics filter does: the bearer
 * token is checked with a TokenReview, then its user must be allowed {@code get} on the non-resource URL (a
 * ClusterRole rule {@code nonResourceURLs: ["/metrics"], verbs: ["get"]}) by a SubjectAccessReview.
 */
final class MetricsAccessReview {
  enum Decision { ALLOWED, UNAUTHENTICATED, FORBIDDEN }

  private final KubernetesClient client;

  MetricsAccessReview(KubernetesClient client) {
    this.client = client;
  }

  Decision review(String authorizationHeader, String path) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Decision.UNAUTHENTICATED;
    }
    String token = authorizationHeader.substring(7).trim();
    if (token.isEmpty()) return Decision.UNAUTHENTICATED;
    TokenReview review = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
        .create();
    if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
      return Decision.UNAUTHENTICATED;
    }
    UserInfo user = review.getStatus().getUser();
    SubjectAccessReview access = client.resource(new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(user.getUsername()).withGroups(user.getGroups()).withUid(user.getUid()).withExtra(user.getExtra())
        .withNewNonResourceAttributes().withPath(path).withVerb("get").endNonResourceAttributes()
        .endSpec().build()).create();
    return access.getStatus() != null && Boolean.TRUE.equals(access.getStatus().getAllowed())
        ? Decision.ALLOWED : Decision.FORBIDDEN;
  }
}
