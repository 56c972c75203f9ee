package io.capdjava.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailureMessageTest {
  @Test
  void anEngineErrorIsItsStatusAndMessageWithoutTheJsonWrapping() {
    var docker = new RuntimeException("Status 500: {\"message\":\"Get \\\"https://registry.example/v2/\\\": dial tcp:"
        + " lookup registry.example: no such host\"}\n");
    assertEquals("the container engine answered 500: Get \"https://registry.example/v2/\": dial tcp: lookup"
        + " registry.example: no such host", FailureMessage.of(new IllegalStateException("wrapped", docker)));
  }

  @Test
  void anApiErrorIsTheServersCodeReasonAndMessage() {
    var status = new StatusBuilder().withCode(404).withReason("NotFound")
        .withMessage("secrets \"m1-data\" not found").build();
    var e = new KubernetesClientException("Failure executing: GET at: https://127.0.0.1:1234/api/v1/namespaces/x/"
        + "secrets/m1-data. Message: secrets \"m1-data\" not found. Received status: Status(...)", 404, status);
    assertEquals("the API server answered 404 NotFound: secrets \"m1-data\" not found", FailureMessage.of(e));
  }

  @Test
  void anUnreachableApiServerSaysSo() {
    var e = new KubernetesClientException("Operation: [get] failed", new IOException("x",
        new ConnectException("Connection refused")));
    assertTrue(FailureMessage.of(e).startsWith("the API server could not be reached: "), FailureMessage.of(e));
  }

  @Test
  void aPhaseFailureKeepsItsOwnMessage() {
    var cause = new RuntimeException("Status 404: {\"message\":\"No such image: kindest/node:v1.31.0\"}");
    PhaseFailure failure = PhaseFailure.of("ContainerProvisioned", "NotProvisioned", "create container c1", cause);
    assertEquals("Failed to create container c1: the container engine answered 404: No such image:"
        + " kindest/node:v1.31.0", FailureMessage.of(failure));
  }

  @Test
  void onlyTheFirstLineAndABoundedLengthReachAcondition() {
    assertEquals("first line", FailureMessage.of(new RuntimeException("first line\n\tat some.Frame(Frame.java:1)")));
    String longMessage = "x".repeat(5000);
    assertEquals(FailureMessage.MAX_LENGTH, FailureMessage.of(new RuntimeException(longMessage)).length());
  }

  @Test
  void anExceptionWithoutAMessageIsNamedWithItsCause() {
    assertEquals("NullPointerException", FailureMessage.of(new NullPointerException()));
    assertEquals("IllegalStateException: boom",
        FailureMessage.of(new IllegalStateException((String) null, new RuntimeException("boom"))));
  }
}
