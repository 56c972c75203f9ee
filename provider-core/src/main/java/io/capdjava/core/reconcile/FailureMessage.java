package io.capdjava.core.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exception as one line a user can act on, for conditions and events: the API server's and the container
 * engine's answers are reduced to their status and message (the raw texts carry request URLs, JSON bodies and
 * nested "Failure executing" prefixes); stack traces stay in the log.
 */
public final class FailureMessage {
  /** docker-java's shape of an engine error: {@code Status 500: {"message":"..."}}. */
  private static final Pattern ENGINE_ERROR = Pattern.compile("^Status (\\d{3}): (\\{.*})\\s*$", Pattern.DOTALL);
  static final int MAX_LENGTH = 1024;

  private FailureMessage() {}

  public static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // a phase's message already says what failed and why
      if (t instanceof PhaseFailure p) return shorten(p.getMessage());
      if (t instanceof KubernetesClientException k) return shorten(apiServer(k));
      if (t.getMessage() != null) {
        Matcher engine = ENGINE_ERROR.matcher(t.getMessage().strip());
        if (engine.matches()) return shorten(containerEngine(engine.group(1), engine.group(2)));
      }
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName() + (failure.getCause() == null ? "" : ": " + of(failure.getCause()));
    }
    return shorten(message);
  }

  private static String apiServer(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isEmpty()) {
      String reason = e.getStatus().getReason() == null || e.getStatus().getReason().isEmpty()
          ? "" : " " + e.getStatus().getReason();
      return "the API server answered " + e.getCode() + reason + ": " + e.getStatus().getMessage();
    }
    if (e.getCode() > 0) return "the API server answered " + e.getCode();
    Throwable cause = e.getCause();
    return "the API server could not be reached: "
        + (cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage());
  }

  private static String containerEngine(String status, String body) {
    try {
      JsonNode json = Serialization.jsonMapper().readTree(body);
      if (json.hasNonNull("message")) return "the container engine answered " + status + ": " + json.get("message").asText();
    } catch (Exception ignored) {
      // not JSON after all: the body as it is
    }
    return "the container engine answered " + status + ": " + body;
  }

  /** The first line, at most {@value #MAX_LENGTH} characters (conditions are read in one line by kubectl). */
  static String shorten(String message) {
    String m = message.strip();
    int newline = m.indexOf('\n');
    if (newline > 0) m = m.substring(0, newline).strip();
    return m.length() <= MAX_LENGTH ? m : m.substring(0, MAX_LENGTH - 3) + "...";
  }
}
