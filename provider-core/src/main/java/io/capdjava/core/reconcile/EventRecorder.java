package io.capdjava.core.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on our objects ({@code kubectl describe} and {@code kubectl events} show them), as
 * controller-runtime's recorder: Normal on phase changes, Warning on failures. The same event for the same object is
 * sent again only after {@link #REPEAT_AFTER}, so a failure retried with backoff does not flood the namespace.
 * Recording is best effort: an event that cannot be written is logged, never fails a reconcile.
 */
public final class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final Duration REPEAT_AFTER = Duration.ofMinutes(10);
  private static final int MAX_REMEMBERED = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private record Sent(String type, String reason, String message, Instant at) {}

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final Map<String, Sent> lastSent = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client, String component) {
    this(client, component, Clock.systemUTC());
  }

  EventRecorder(KubernetesClient client, String component, Clock clock) {
    this.client = client;
    this.component = component;
    this.clock = clock;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, NORMAL, reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, WARNING, reason, message);
  }

  /** Forgets what was sent for {@code object} (it is gone). */
  public void forget(HasMetadata object) {
    lastSent.remove(object.getMetadata().getUid());
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String uid = object.getMetadata().getUid();
    Instant now = clock.instant();
    Sent previous = lastSent.get(uid);
    if (previous != null && previous.type().equals(type) && previous.reason().equals(reason)
        && Objects.equals(previous.message(), message) && previous.at().plus(REPEAT_AFTER).isAfter(now)) {
      return;
    }
    if (lastSent.size() >= MAX_REMEMBERED) lastSent.clear();
    lastSent.put(uid, new Sent(type, reason, message, now));
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    Event event = new EventBuilder()
        .withNewMetadata()
          .withGenerateName(object.getMetadata().getName() + ".")
          .withNamespace(object.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(object.getApiVersion())
          .withKind(object.getKind())
          .withName(object.getMetadata().getName())
          .withNamespace(object.getMetadata().getNamespace())
          .withUid(uid)
          .withResourceVersion(object.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource().withComponent(component).endSource()
        .withFirstTimestamp(timestamp)
        .withLastTimestamp(timestamp)
        .withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
    } catch (RuntimeException e) {
      LOG.debug("could not record event {} on {}/{}: {}", reason, object.getMetadata().getNamespace(),
          object.getMetadata().getName(), e.getMessage());
    }
  }
}
