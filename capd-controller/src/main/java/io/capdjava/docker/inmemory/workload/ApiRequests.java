package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.docker.inmemory.workload.ObjectStore.PatchFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The REST semantics of the simulated kube-apiserver of one workload cluster, independent of the transport: routes
 * (health, {@code /version}, discovery, collections, objects, the status/finalize/eviction subresources), verbs
 * (get, list, create, update, patch, delete, deletecollection) on the {@link ObjectStore}, label and field selectors,
 * and {@code metav1.Status} answers for errors. Watches are only parsed here ({@link #watchRequest}); the transport
 * streams them with {@link #encode} and {@link #bookmark}.
 *
 * <p>Not served: protobuf bodies (415; read only for a DELETE's DeleteOptions and an Eviction, which client-go sends
 * so), {@code limit}/{@code continue} paging (everything comes back at once), {@code dryRun}, server-side apply field
 * management (an apply is a merge patch), subresources other than status, finalize and eviction (port-forward is the
 * transport's).
 */
public final class ApiRequests {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String JSON = "application/json";
  private static final String NOT_FOUND_MESSAGE = "the server could not find the requested resource";

  private final ObjectStore store;
  private volatile String gitVersion;

  public ApiRequests(ObjectStore store, String gitVersion /* e.g. "v1.34.4": answered on /version */) {
    this.store = Objects.requireNonNull(store, "store");
    this.gitVersion = gitVersion;
  }

  public void setGitVersion(String gitVersion) {
    this.gitVersion = gitVersion;
  }

  /** A request path on a resource: its type, namespace (null: none in the path), object name and subresource. */
  private record ResourcePath(ResourceType type, String namespace, String name, String subresource,
      boolean legacyWatch) {}

  /** Answers a non-streaming request. path without query; query decoded, multi-valued; contentType may be null. */
  public ApiResponse handle(String method, String path, Map<String, List<String>> query, String contentType,
      byte[] body) {
    Map<String, List<String>> parameters = query == null ? Map.of() : query;
    List<String> segments = segments(path);
    ResourcePath resource = null;
    try {
      if (segments.isEmpty() || List.of("healthz", "livez", "readyz").contains(segments.get(0))) {
        requireRead(method);
        return new ApiResponse(200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
      }
      Optional<ObjectNode> discovery = discovery(segments);
      if (discovery.isPresent()) {
        requireRead(method);
        return json(200, discovery.get());
      }
      resource = resourcePath(segments).orElseThrow(ApiRequests::unknownPath);
      return onResource(method.toUpperCase(Locale.ROOT), resource, parameters, contentType, body);
    } catch (ApiException e) {
      return json(e.code(), status(e, resource));
    }
  }

  /** When the request is a watch (GET with watch=true or watch=1 on a collection path), what to stream; else empty. Throws ApiException for a bad one. */
  public Optional<WatchRequest> watchRequest(String method, String path, Map<String, List<String>> query) {
    if (!"GET".equalsIgnoreCase(method)) return Optional.empty();
    Map<String, List<String>> parameters = query == null ? Map.of() : query;
    List<String> segments = segments(path);
    boolean isResourcePath = segments.size() >= 3 && segments.get(0).equals("api")
        || segments.size() >= 4 && segments.get(0).equals("apis");
    if (!isResourcePath) return Optional.empty();
    String watch = first(parameters, "watch");
    boolean watchAsked = "true".equalsIgnoreCase(watch) || "1".equals(watch);
    boolean legacyWatch = segments.get(0).equals("api") ? segments.get(2).equals("watch")
        : segments.get(3).equals("watch");
    if (!watchAsked && !legacyWatch) return Optional.empty();
    ResourcePath resource = resourcePath(segments).orElseThrow(ApiRequests::unknownPath);
    if (resource.subresource() != null) return Optional.empty();
    Predicate<ObjectNode> filter = selectors(parameters);
    if (resource.name() != null) {
      // a watch of one object is a watch of the collection for that name, as kube-apiserver turns it
      String name = resource.name();
      filter = filter.and(o -> name.equals(o.path("metadata").path("name").asText()));
    }
    long resourceVersion = parseResourceVersion(first(parameters, "resourceVersion"));
    String sendInitialEvents = first(parameters, "sendInitialEvents");
    // kube-apiserver: a watch without a resourceVersion (or "0") starts with the current objects as ADDED events,
    // and sendInitialEvents=true asks for them whatever the resourceVersion
    boolean initialEvents = "true".equalsIgnoreCase(sendInitialEvents)
        || resourceVersion == 0 && !"false".equalsIgnoreCase(sendInitialEvents);
    boolean allowBookmarks = "true".equalsIgnoreCase(first(parameters, "allowWatchBookmarks"));
    Integer timeoutSeconds = parseTimeout(first(parameters, "timeoutSeconds"));
    return Optional.of(new WatchRequest(resource.type(), resource.namespace(), filter, resourceVersion,
        initialEvents, allowBookmarks, timeoutSeconds));
  }

  /** The JSON line (one watch event, ending with '\n') for an event. */
  public static byte[] encode(ObjectStore.WatchEvent event) {
    ObjectNode line = NODES.objectNode();
    line.put("type", event.type().name());
    line.set("object", event.object());
    return line(line);
  }

  /** A BOOKMARK event at resourceVersion rv; initialEventsEnd adds annotation "k8s.io/initial-events-end": "true". Line ends with '\n'. */
  public static byte[] bookmark(ResourceType type, long rv, boolean initialEventsEnd) {
    ObjectNode line = NODES.objectNode();
    line.put("type", "BOOKMARK");
    ObjectNode object = line.putObject("object");
    object.put("kind", type.kind());
    object.put("apiVersion", type.apiVersion());
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(rv));
    if (initialEventsEnd) metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
    return line(line);
  }

  /**
   * An ERROR watch event carrying the Status of {@code error} (a watch refused after streaming began, e.g. 410 Expired,
   * which makes informers relist). Line ends with '\n'.
   */
  public static byte[] errorEvent(ApiException error) {
    ObjectNode line = NODES.objectNode();
    line.put("type", "ERROR");
    line.set("object", status(error, null));
    return line(line);
  }

  // --- routing ---

  private Optional<ObjectNode> discovery(List<String> segments) {
    String first = segments.get(0);
    int size = segments.size();
    if (first.equals("version") && size == 1) return Optional.of(DiscoveryDocuments.version(gitVersion));
    if (first.equals("api")) {
      if (size == 1) return Optional.of(DiscoveryDocuments.apiVersions());
      if (size == 2) return Optional.of(DiscoveryDocuments.apiResourceList("", segments.get(1))
          .orElseThrow(ApiRequests::unknownPath));
    }
    if (first.equals("apis")) {
      if (size == 1) return Optional.of(DiscoveryDocuments.apiGroupList());
      if (size == 2) return Optional.of(DiscoveryDocuments.apiGroup(segments.get(1))
          .orElseThrow(ApiRequests::unknownPath));
      if (size == 3) return Optional.of(DiscoveryDocuments.apiResourceList(segments.get(1), segments.get(2))
          .orElseThrow(ApiRequests::unknownPath));
    }
    return Optional.empty();
  }

  /** The resource a path names: {@code /api/v1/...} or {@code /apis/{g}/{v}/...}; empty when it names none. */
  private static Optional<ResourcePath> resourcePath(List<String> segments) {
    String group;
    String version;
    List<String> rest;
    if (segments.size() >= 3 && segments.get(0).equals("api")) {
      group = "";
      version = segments.get(1);
      rest = segments.subList(2, segments.size());
    } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      version = segments.get(2);
      rest = segments.subList(3, segments.size());
    } else {
      return Optional.empty();
    }
    boolean legacyWatch = rest.get(0).equals("watch");
    if (legacyWatch) rest = rest.subList(1, rest.size());
    if (rest.isEmpty()) return Optional.empty();
    String namespace = null;
    if (rest.get(0).equals("namespaces") && rest.size() >= 3
        && ResourceTypes.byPath(group, version, rest.get(2)).filter(ResourceType::namespaced).isPresent()) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() > 3) return Optional.empty();
    Optional<ResourceType> type = ResourceTypes.byPath(group, version, rest.get(0));
    if (type.isEmpty()) return Optional.empty();
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? rest.get(2) : null;
    if (namespace != null && !type.get().namespaced()) return Optional.empty();
    // a namespaced object is only reached through its namespace
    if (name != null && type.get().namespaced() && namespace == null) return Optional.empty();
    return Optional.of(new ResourcePath(type.get(), namespace, name, subresource, legacyWatch));
  }

  private ApiResponse onResource(String method, ResourcePath resource, Map<String, List<String>> query,
      String contentType, byte[] body) {
    if (resource.legacyWatch()) throw badRequest("watch requests are streamed, not answered");
    if (resource.name() == null) {
      return switch (method) {
        case "GET" -> {
          String watch = first(query, "watch");
          if ("true".equalsIgnoreCase(watch) || "1".equals(watch)) {
            throw badRequest("watch requests are streamed, not answered");
          }
          yield json(200, list(resource, query));
        }
        case "POST" -> json(201, create(resource, contentType, body));
        case "DELETE" -> json(200, deleteCollection(resource, query));
        default -> throw methodNotAllowed();
      };
    }
    if (resource.subresource() != null) return onSubresource(method, resource, contentType, body);
    return onObject(method, resource, contentType, body);
  }

  private ApiResponse onObject(String method, ResourcePath resource, String contentType, byte[] body) {
    return switch (method) {
      case "GET" -> json(200, store.get(resource.type(), resource.namespace(), resource.name())
          .orElseThrow(() -> ApiException.notFound(resource.type(), resource.name())));
      case "PUT" -> json(200, update(resource, contentType, body));
      case "PATCH" -> patch(resource, contentType, body);
      case "DELETE" -> json(200, delete(resource, contentType, body));
      default -> throw methodNotAllowed();
    };
  }

  private ApiResponse onSubresource(String method, ResourcePath resource, String contentType, byte[] body) {
    String subresource = resource.subresource();
    if (!DiscoveryDocuments.hasSubresource(resource.type(), subresource) || subresource.equals("portforward")) {
      throw unknownPath();
    }
    return switch (subresource) {
      // the status subresource acts on the whole object: the simulation has no one to keep spec and status apart
      case "status" -> switch (method) {
        case "GET", "PUT", "PATCH" -> onObject(method, resource, contentType, body);
        default -> throw methodNotAllowed();
      };
      case "finalize" -> {
        if (!method.equals("PUT")) throw methodNotAllowed();
        yield json(200, update(resource, contentType, body));
      }
      case "eviction" -> {
        if (!method.equals("POST")) throw methodNotAllowed();
        yield json(201, evict(resource, contentType, body));
      }
      default -> throw unknownPath();
    };
  }

  // --- verbs ---

  private ObjectNode list(ResourcePath resource, Map<String, List<String>> query) {
    ObjectStore.Listing listing = store.listing(resource.type(), resource.namespace(), selectors(query));
    return listBody(resource.type(), listing.resourceVersion(), listing.items());
  }

  private ObjectNode create(ResourcePath resource, String contentType, byte[] body) {
    ObjectNode object = objectBody(contentType, body);
    ObjectNode metadata = metadata(object);
    if (resource.type().namespaced() && resource.namespace() != null) metadata.put("namespace", resource.namespace());
    metadata.remove("resourceVersion");
    return store.create(resource.type(), object);
  }

  private ObjectNode update(ResourcePath resource, String contentType, byte[] body) {
    ObjectNode object = objectBody(contentType, body);
    ObjectNode metadata = metadata(object);
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      metadata.put("name", resource.name());
    } else if (!name.equals(resource.name())) {
      throw badRequest("the name of the object (" + name + ") does not match the name on the URL ("
          + resource.name() + ")");
    }
    if (resource.type().namespaced()) metadata.put("namespace", resource.namespace());
    return store.update(resource.type(), object);
  }

  private ApiResponse patch(ResourcePath resource, String contentType, byte[] body) {
    rejectProtobuf(contentType);
    PatchFormat format = PatchFormat.byContentType(contentType).orElseThrow(() -> new ApiException(415,
        "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
        + "application/strategic-merge-patch+json"));
    String patch = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
    ObjectStore.Patched patched =
        store.patchOrApply(resource.type(), resource.namespace(), resource.name(), format, patch);
    return json(patched.created() ? 201 : 200, patched.object());
  }

  private ObjectNode delete(ResourcePath resource, String contentType, byte[] body) {
    String uid = null;
    String resourceVersion = null;
    if (body != null && body.length > 0) {
      // DeleteOptions: the preconditions are honoured; propagationPolicy and grace periods mean nothing here.
      // client-go sends them as protobuf for built-in kinds (CAPI core deleting a Machine's Node)
      if (isProtobuf(contentType)) {
        KubernetesProtobuf.Preconditions preconditions = KubernetesProtobuf.deleteOptionsPreconditions(body);
        uid = preconditions.uid();
        resourceVersion = preconditions.resourceVersion();
      } else {
        JsonNode preconditions = ApiJson.parse(body, false).path("preconditions");
        uid = textOrNull(preconditions.path("uid"));
        resourceVersion = textOrNull(preconditions.path("resourceVersion"));
      }
    }
    return store.delete(resource.type(), resource.namespace(), resource.name(), uid, resourceVersion)
        .orElseThrow(() -> ApiException.notFound(resource.type(), resource.name()));
  }

  private ObjectNode deleteCollection(ResourcePath resource, Map<String, List<String>> query) {
    List<ObjectNode> deleted = new ArrayList<>();
    for (ObjectNode object : store.list(resource.type(), resource.namespace(), selectors(query))) {
      JsonNode metadata = object.path("metadata");
      store.delete(resource.type(), metadata.path("namespace").asText(""), metadata.path("name").asText())
          .ifPresent(deleted::add);
    }
    return listBody(resource.type(), store.resourceVersion(), deleted);
  }

  /** policy/v1 Eviction of a pod: the pod is deleted (no disruption budget is checked), 201 with a Status Success. */
  private ObjectNode evict(ResourcePath resource, String contentType, byte[] body) {
    if (body != null && body.length > 0) {
      // client-go sends an Eviction as protobuf (drain)
      String name = isProtobuf(contentType) ? Objects.requireNonNullElse(KubernetesProtobuf.evictionName(body), "")
          : objectBody(contentType, body).path("metadata").path("name").asText("");
      if (!name.isEmpty() && !name.equals(resource.name())) {
        throw badRequest("name in URL does not match name in Eviction object");
      }
    }
    store.delete(resource.type(), resource.namespace(), resource.name())
        .orElseThrow(() -> ApiException.notFound(resource.type(), resource.name()));
    ObjectNode success = NODES.objectNode();
    success.put("kind", "Status");
    success.put("apiVersion", "v1");
    success.putObject("metadata");
    success.put("status", "Success");
    success.put("code", 201);
    return success;
  }

  // --- helpers ---

  private static ObjectNode listBody(ResourceType type, long resourceVersion, List<ObjectNode> items) {
    ObjectNode list = NODES.objectNode();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion());
    list.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }

  private static Predicate<ObjectNode> selectors(Map<String, List<String>> query) {
    return Selectors.labels(first(query, "labelSelector")).and(Selectors.fields(first(query, "fieldSelector")));
  }

  private static ObjectNode objectBody(String contentType, byte[] body) {
    rejectProtobuf(contentType);
    boolean yaml = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml");
    return ApiJson.parseObject(body, yaml);
  }

  private static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("protobuf");
  }

  private static void rejectProtobuf(String contentType) {
    if (isProtobuf(contentType)) {
      throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
          + "accepted media types include: application/json, application/yaml");
    }
  }

  private static ObjectNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata instanceof ObjectNode node) return node;
    return object.putObject("metadata");
  }

  /** A {@code metav1.Status} of a failure; details name the object when the request named one. */
  static ObjectNode status(ApiException error, ResourcePath resource) {
    ObjectNode status = NODES.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", error.getMessage() == null ? "" : error.getMessage());
    status.put("reason", error.reason());
    ObjectNode details = status.putObject("details");
    if (resource != null) {
      if (resource.name() != null) details.put("name", resource.name());
      if (!resource.type().group().isEmpty()) details.put("group", resource.type().group());
      details.put("kind", resource.type().plural());
    }
    status.put("code", error.code());
    return status;
  }

  private static void requireRead(String method) {
    if (!"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method)) throw methodNotAllowed();
  }

  private static long parseResourceVersion(String value) {
    if (value == null || value.isEmpty()) return 0;
    try {
      long version = Long.parseLong(value);
      if (version < 0) throw new NumberFormatException(value);
      return version;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "BadRequest", "invalid resource version \"" + value + "\"");
    }
  }

  private static Integer parseTimeout(String value) {
    if (value == null || value.isEmpty()) return null;
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw badRequest("invalid timeoutSeconds \"" + value + "\"");
    }
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String textOrNull(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  private static List<String> segments(String path) {
    if (path == null) return List.of();
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  private static ApiResponse json(int status, JsonNode body) {
    return new ApiResponse(status, JSON, ApiJson.bytes(body));
  }

  private static byte[] line(JsonNode event) {
    byte[] json = ApiJson.bytes(event);
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }

  private static ApiException unknownPath() {
    return new ApiException(404, "NotFound", NOT_FOUND_MESSAGE);
  }

  private static ApiException methodNotAllowed() {
    return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }

  private static ApiException badRequest(String message) {
    return ApiException.badRequest(message);
  }
}
