package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The JSON gateway ({@code POST /v3/...}) of one member of a {@link SimulatedEtcd}, independent of how requests reach
 * it: what etcd 3.6's grpc-gateway answers to the calls KCP makes (status, member list, alarms, move leader, remove
 * member). Answers follow protobuf's JSON mapping with the proto field names: 64-bit numbers are decimal strings of the
 * unsigned value, false and empty fields are left out; errors are grpc-gateway's {@code {"code":..,"message":..}} with
 * the HTTP status grpc-gateway maps the gRPC code to, and etcd's own messages ({@code etcdserver: member not found}).
 * The member answering is the one named {@code memberName}; once it is removed it answers as a stopped etcd server.
 * Thread-safe (the state lives in {@link SimulatedEtcd}).
 */
public final class EtcdGateway {
  /** The etcd version members report (what kubeadm of the supported Kubernetes versions runs). */
  public static final String VERSION = "3.6.8";
  static final String STORAGE_VERSION = "3.6.0";
  /** A database size in the range of a small cluster's, as status reports one. */
  private static final long DB_SIZE = 4L * 1024 * 1024;
  private static final long DB_SIZE_QUOTA = 2L * 1024 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: HTTP status and JSON body. */
  public record Response(int status, byte[] body) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A gRPC status as etcd returns it; the gateway turns it into an HTTP error. */
  private static final class GrpcError extends RuntimeException {
    private final int code;
    private final int httpStatus;

    GrpcError(int code, int httpStatus, String message) {
      super(message, null, false, false);
      this.code = code;
      this.httpStatus = httpStatus;
    }
  }

  // gRPC codes and the HTTP statuses grpc-gateway maps them to (runtime.HTTPStatusFromCode)
  private static final int INVALID_ARGUMENT = 3;
  private static final int NOT_FOUND = 5;
  private static final int FAILED_PRECONDITION = 9;
  private static final int UNIMPLEMENTED = 12;
  private static final int UNAVAILABLE = 14;

  private final SimulatedEtcd etcd;
  private final String memberName;

  public EtcdGateway(SimulatedEtcd etcd, String memberName) {
    this.etcd = etcd;
    this.memberName = memberName;
  }

  public String memberName() {
    return memberName;
  }

  /** Answers {@code POST path} with {@code jsonBody} (empty means {@code {}}). */
  public Response handle(String path, byte[] jsonBody) {
    try {
      JsonNode request = parse(jsonBody);
      ObjectNode answer = switch (path) {
        case "/v3/maintenance/status" -> status();
        case "/v3/cluster/member/list" -> memberList();
        case "/v3/maintenance/alarm" -> alarm(request);
        case "/v3/maintenance/transfer-leadership" -> moveLeader(request);
        case "/v3/cluster/member/remove" -> removeMember(request);
        default -> throw new GrpcError(NOT_FOUND, 404, "Not Found");
      };
      return new Response(200, bytes(answer));
    } catch (GrpcError e) {
      return error(e.httpStatus, e.code, e.getMessage());
    }
  }

  /** grpc-gateway's answer to a method other than POST on a gateway path. */
  public static Response methodNotAllowed() {
    return error(405, UNIMPLEMENTED, "Method Not Allowed");
  }

  private ObjectNode status() {
    SimulatedEtcd.Snapshot state = etcd.snapshot();
    SimulatedEtcd.Member self = self(state);
    ObjectNode answer = JSON.createObjectNode();
    answer.set("header", header(state, self));
    answer.put("version", VERSION);
    answer.put("dbSize", Long.toString(DB_SIZE));
    answer.put("leader", Long.toUnsignedString(state.leaderId()));
    answer.put("raftIndex", Long.toString(state.raftIndex()));
    answer.put("raftTerm", Long.toString(state.raftTerm()));
    answer.put("raftAppliedIndex", Long.toString(state.raftIndex()));
    answer.put("dbSizeInUse", Long.toString(DB_SIZE));
    answer.put("storageVersion", STORAGE_VERSION);
    answer.put("dbSizeQuota", Long.toString(DB_SIZE_QUOTA));
    return answer;
  }

  private ObjectNode memberList() {
    SimulatedEtcd.Snapshot state = etcd.snapshot();
    SimulatedEtcd.Member self = self(state);
    ObjectNode answer = JSON.createObjectNode();
    answer.set("header", header(state, self));
    answer.set("members", members(state));
    return answer;
  }

  // no alarms are ever raised (no quota, no corruption), so GET finds none and (de)activating has nothing to keep
  private ObjectNode alarm(JsonNode request) {
    SimulatedEtcd.Snapshot state = etcd.snapshot();
    SimulatedEtcd.Member self = self(state);
    String action = request.path("action").asText("GET");
    if (!action.equals("GET") && !action.equals("ACTIVATE") && !action.equals("DEACTIVATE")
        && !action.matches("[0-2]")) {
      throw new GrpcError(INVALID_ARGUMENT, 400, "invalid value for enum field action: " + action);
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("header", header(state, self));
    return answer;
  }

  private ObjectNode moveLeader(JsonNode request) {
    long target = id(request, "targetID");
    SimulatedEtcd.Member self = self(etcd.snapshot());
    switch (etcd.transferLeadership(self.id(), target)) {
      case NOT_LEADER -> throw new GrpcError(FAILED_PRECONDITION, 400, "etcdserver: not leader");
      case NO_SUCH_TARGET -> throw new GrpcError(FAILED_PRECONDITION, 400, "etcdserver: bad leader transferee");
      case MOVED -> { }
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("header", header(etcd.snapshot(), self));
    return answer;
  }

  // removing the member answering is allowed (etcd stops it afterwards); the answer still comes from it
  private ObjectNode removeMember(JsonNode request) {
    long id = id(request, "ID");
    SimulatedEtcd.Member self = self(etcd.snapshot());
    if (!etcd.removeMember(id)) throw new GrpcError(NOT_FOUND, 404, "etcdserver: member not found");
    SimulatedEtcd.Snapshot state = etcd.snapshot();
    ObjectNode answer = JSON.createObjectNode();
    answer.set("header", header(state, self));
    answer.set("members", members(state));
    return answer;
  }

  /** The member answering; a removed member has stopped serving. */
  private SimulatedEtcd.Member self(SimulatedEtcd.Snapshot state) {
    return state.byName(memberName)
        .orElseThrow(() -> new GrpcError(UNAVAILABLE, 503, "etcdserver: server stopped"));
  }

  private static ObjectNode header(SimulatedEtcd.Snapshot state, SimulatedEtcd.Member self) {
    ObjectNode header = JSON.createObjectNode();
    header.put("cluster_id", Long.toUnsignedString(state.clusterId()));
    header.put("member_id", Long.toUnsignedString(self.id()));
    header.put("revision", Long.toString(state.revision()));
    header.put("raft_term", Long.toString(state.raftTerm()));
    return header;
  }

  private static ArrayNode members(SimulatedEtcd.Snapshot state) {
    ArrayNode members = JSON.createArrayNode();
    for (SimulatedEtcd.Member m : state.members()) {
      ObjectNode member = members.addObject();
      member.put("ID", Long.toUnsignedString(m.id()));
      member.put("name", m.name());
      ArrayNode peerUrls = member.putArray("peerURLs");
      m.peerUrls().forEach(peerUrls::add);
      ArrayNode clientUrls = member.putArray("clientURLs");
      m.clientUrls().forEach(clientUrls::add);
    }
    return members;
  }

  /** A uint64 field: protobuf's JSON mapping takes a decimal string or a number; absent is 0. */
  private static long id(JsonNode request, String field) {
    JsonNode value = request.path(field);
    if (value.isMissingNode() || value.isNull()) return 0;
    String text = value.isNumber() ? value.bigIntegerValue().toString() : value.asText();
    try {
      return text.isEmpty() ? 0 : Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new GrpcError(INVALID_ARGUMENT, 400, "proto: invalid value for uint64 field " + field + ": " + value);
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) return JSON.createObjectNode();
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) return JSON.createObjectNode();
      if (!node.isObject()) throw new GrpcError(INVALID_ARGUMENT, 400, "proto: syntax error: expected a JSON object");
      return node;
    } catch (IOException e) {
      throw new GrpcError(INVALID_ARGUMENT, 400, "proto: syntax error: the request body is not valid JSON");
    }
  }

  private static Response error(int httpStatus, int code, String message) {
    ObjectNode body = JSON.createObjectNode();
    // grpc-gateway v1 also sent "error"; v2 (etcd 3.6) sends code, message and details
    body.put("error", message);
    body.put("code", code);
    body.put("message", message);
    body.putArray("details");
    return new Response(httpStatus, bytes(body));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The member an {@code etcd-<node>} pod runs, by kubeadm's naming; empty for other pods. */
  public static Optional<String> memberNameOfPod(String podName) {
    return podName.startsWith("etcd-") && podName.length() > "etcd-".length()
        ? Optional.of(podName.substring("etcd-".length())) : Optional.empty();
  }
}
