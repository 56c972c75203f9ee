package io.capdjava.controlplane.workload.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capdjava.controlplane.machines.EtcdAlarm;
import io.capdjava.controlplane.machines.EtcdMember;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link EtcdClient} over etcd's JSON gateway ({@code /v3/...}, served on the client port next to gRPC), reached
 * through a port-forward to the member's static pod. The gateway speaks protobuf's JSON mapping: 64-bit IDs are
 * strings, false and empty fields are left out, errors come as {@code {"code":..., "message":...}}.
 */
final class EtcdGatewayClient implements EtcdClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String endpoint;
  private final LocalPortForward forward;
  private final HttpClient http;
  private final URI base;
  private final Duration callTimeout;
  private final long leaderId;

  private EtcdGatewayClient(
      String endpoint, LocalPortForward forward, HttpClient http, Duration callTimeout) {
    this.endpoint = endpoint;
    this.forward = forward;
    this.http = http;
    this.callTimeout = callTimeout;
    this.base = URI.create("https://" + forward.getLocalAddress().getHostAddress() + ":" + forward.getLocalPort());
    this.leaderId = unsigned(call("/v3/maintenance/status", Map.of(), "failed to get etcd status").path("leader"));
  }

  /** Opens a client on an established port-forward, asking the member for the leader; closes the forward on failure. */
  static EtcdGatewayClient open(String endpoint, LocalPortForward forward, HttpClient http, Duration callTimeout) {
    try {
      return new EtcdGatewayClient(endpoint, forward, http, callTimeout);
    } catch (RuntimeException e) {
      closeQuietly(forward);
      throw e;
    }
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public long leaderId() {
    return leaderId;
  }

  @Override
  public List<EtcdMember> members() {
    JsonNode response = call("/v3/cluster/member/list", Map.of(), "failed to get etcd members");
    List<EtcdMember> members = new ArrayList<>();
    for (JsonNode m : response.path("members")) {
      members.add(new EtcdMember(unsigned(m.path("ID")), m.path("name").asText(""), m.path("isLearner").asBoolean(false)));
    }
    return members;
  }

  @Override
  public List<EtcdAlarm> alarms() {
    JsonNode response = call("/v3/maintenance/alarm", Map.of("action", "GET"), "failed to get etcd alarms");
    List<EtcdAlarm> alarms = new ArrayList<>();
    for (JsonNode a : response.path("alarms")) {
      alarms.add(new EtcdAlarm(unsigned(a.path("memberID")), a.path("alarm").asText(EtcdAlarm.NONE)));
    }
    return alarms;
  }

  @Override
  public void moveLeader(long memberId) {
    call("/v3/maintenance/transfer-leadership", Map.of("targetID", Long.toUnsignedString(memberId)),
        "failed to move etcd leader to: " + Long.toUnsignedString(memberId));
  }

  @Override
  public void removeMember(long memberId) {
    call("/v3/cluster/member/remove", Map.of("ID", Long.toUnsignedString(memberId)),
        "failed to remove etcd member: " + Long.toUnsignedString(memberId));
  }

  @Override
  public void close() {
    closeQuietly(forward);
  }

  private JsonNode call(String path, Map<String, String> body, String failure) {
    HttpResponse<String> response;
    try {
      HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
          .timeout(callTimeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
          .build();
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new EtcdException(failure + " from " + endpoint + ": call timeout expired (" + callTimeout.toSeconds()
          + "s)", e);
    } catch (IOException e) {
      throw new EtcdException(failure + " from " + endpoint + ": " + connectionProblem(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdException(failure + " from " + endpoint + ": interrupted", e);
    }
    JsonNode json = parse(response.body());
    if (response.statusCode() != 200) {
      String message = json.path("message").asText("");
      throw new EtcdException(failure + ": " + (message.isEmpty()
          ? "HTTP " + response.statusCode() + " from " + endpoint : message));
    }
    return json;
  }

  /** What went wrong on the way: the port-forward's own error (pod gone, forbidden) says more than a closed socket. */
  private String connectionProblem(IOException e) {
    String forwardError = Stream.concat(forward.getClientThrowables().stream(), forward.getServerThrowables().stream())
        .map(EtcdGatewayClient::describe)
        .reduce((a, b) -> a + "; " + b).orElse("");
    String own = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return forwardError.isEmpty() ? own : "port-forward failed: " + forwardError;
  }

  private static String describe(Throwable t) {
    if (t instanceof WebSocketHandshakeException handshake) {
      // the API server refused the port-forward; its status code says why (no such pod, forbidden)
      int code = handshake.getResponse().code();
      return code == 404 ? "pod not found (HTTP 404)" : "refused by the API server (HTTP " + code + ")";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", body);
    }
  }

  private static long unsigned(JsonNode value) {
    String text = value.asText("0");
    return text.isEmpty() ? 0 : Long.parseUnsignedLong(text);
  }

  private static void closeQuietly(LocalPortForward forward) {
    try {
      forward.close();
    } catch (IOException | RuntimeException e) {
      // the forward is gone either way
    }
  }
}
