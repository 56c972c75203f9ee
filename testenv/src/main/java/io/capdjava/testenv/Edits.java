package io.capdjava.testenv;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.UnaryOperator;

/**
 * A test's edit of an object a controller also writes. fabric8's {@code edit} sends the resourceVersion it read, so a
 * status patch landing between the read and the patch fails it with 409 Conflict; a user's {@code kubectl edit} would
 * simply be retried on the newer object, and so is this.
 */
public final class Edits {
  private static final int ATTEMPTS = 10;

  private Edits() {}

  public static <T extends HasMetadata> T retryingOnConflict(Resource<T> resource, UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return resource.edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) throw e;
      }
    }
  }
}
