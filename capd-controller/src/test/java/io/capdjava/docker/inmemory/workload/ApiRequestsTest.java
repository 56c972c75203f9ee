package io.capdjava.docker.inmemory.workload;

import static io.capdjava.docker.inmemory.workload.ObjectStoreTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private ObjectStore store;
  private ApiRequests api;

  @BeforeEach
  void setUp() {
    store = new ObjectStore();
    api = new ApiRequests(store, "v1.34.4");
  }

  private ApiResponse call(String method, String pathAndQuery) {
    return call(method, pathAndQuery, null, (String) null);
  }

  private ApiResponse call(String method, String pathAndQuery, String contentType, String body) {
    String[] parts = pathAndQuery.split("\\?", 2);
    return api.handle(method, parts[0], query(parts.length > 1 ? parts[1] : ""), contentType,
        body == null ? new byte[0] : body.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, List<String>> query(String query) {
    Map<String, List<String>> parameters = new HashMap<>();
    if (query.isEmpty()) return parameters;
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      parameters.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv.length > 1 ? kv[1] : "");
    }
    return parameters;
  }

  private static JsonNode body(ApiResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new IllegalStateException(new String(response.body(), StandardCharsets.UTF_8), e);
    }
  }

  private void pod(String namespace, String name, String labels, String nodeName, String phase) {
    ApiResponse created = call("POST", "/api/v1/namespaces/" + namespace + "/pods", "application/json",
        "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "','labels':" + labels + "},"
            + "'spec':{'nodeName':'" + nodeName + "'},'status':{'phase':'" + phase + "'}}");
    assertEquals(201, created.status(), new String(created.body(), StandardCharsets.UTF_8));
  }

  private List<String> listNames(String pathAndQuery) {
    ApiResponse response = call("GET", pathAndQuery);
    assertEquals(200, response.status(), new String(response.body(), StandardCharsets.UTF_8));
    return StreamSupport.stream(body(response).path("items").spliterator(), false)
        .map(i -> i.path("metadata").path("name").asText())
        .toList();
  }

  @Test
  void healthAndVersion() {
    for (String path : List.of("/", "/healthz", "/livez", "/readyz")) {
      ApiResponse response = call("GET", path);
      assertEquals(200, response.status());
      assertTrue(response.contentType().startsWith("text/plain"));
      assertEquals("ok", new String(response.body(), StandardCharsets.UTF_8));
    }
    JsonNode version = body(call("GET", "/version"));
    assertEquals("1", version.path("major").asText());
    assertEquals("34", version.path("minor").asText());
    assertEquals("v1.34.4", version.path("gitVersion").asText());
    assertEquals("linux/amd64", version.path("platform").asText());

    api.setGitVersion("v1.35.0");
    assertEquals("35", body(call("GET", "/version")).path("minor").asText());
  }

  @Test
  void discoveryOfTheCoreGroup() {
    ApiResponse apiVersions = call("GET", "/api");
    assertEquals("application/json", apiVersions.contentType());
    assertEquals(json("""
        {'kind':'APIVersions','versions':['v1'],
         'serverAddressByClientCIDRs':[{'clientCIDR':'0.0.0.0/0','serverAddress':''}]}
        """), body(apiVersions));

    JsonNode v1 = body(call("GET", "/api/v1"));
    assertEquals("APIResourceList", v1.path("kind").asText());
    assertEquals("v1", v1.path("groupVersion").asText());
    JsonNode pods = resource(v1, "pods");
    assertTrue(pods.path("namespaced").asBoolean());
    assertEquals("Pod", pods.path("kind").asText());
    assertEquals("pod", pods.path("singularName").asText());
    assertEquals(json("['po']"), pods.path("shortNames"));
    assertTrue(pods.path("verbs").toString().contains("watch"));
    JsonNode eviction = resource(v1, "pods/eviction");
    assertEquals("policy", eviction.path("group").asText());
    assertEquals("v1", eviction.path("version").asText());
    assertEquals("Eviction", eviction.path("kind").asText());
    assertEquals(json("['create']"), eviction.path("verbs"));
    assertEquals("PodPortForwardOptions", resource(v1, "pods/portforward").path("kind").asText());
    assertEquals("Node", resource(v1, "nodes/status").path("kind").asText());
    assertFalse(resource(v1, "nodes").path("namespaced").asBoolean());
  }

  @Test
  void discoveryOfTheNamedGroups() {
    JsonNode groups = body(call("GET", "/apis"));
    assertEquals("APIGroupList", groups.path("kind").asText());
    List<String> names = StreamSupport.stream(groups.path("groups").spliterator(), false)
        .map(g -> g.path("name").asText()).toList();
    assertEquals(List.of("apps", "rbac.authorization.k8s.io", "storage.k8s.io", "policy", "coordination.k8s.io",
        "apiextensions.k8s.io"), names);
    assertEquals(json("{'groupVersion':'apps/v1','version':'v1'}"),
        groups.path("groups").get(0).path("preferredVersion"));

    JsonNode apps = body(call("GET", "/apis/apps/v1"));
    assertEquals("apps/v1", apps.path("groupVersion").asText());
    assertEquals("Deployment", resource(apps, "deployments/status").path("kind").asText());
    assertEquals("APIGroup", body(call("GET", "/apis/apps")).path("kind").asText());

    ApiResponse unknown = call("GET", "/apis/example.com/v1");
    assertEquals(404, unknown.status());
    assertEquals("Status", body(unknown).path("kind").asText());
    assertEquals(404, call("GET", "/apis/apps/v2").status());
  }

  private static JsonNode resource(JsonNode list, String name) {
    for (JsonNode resource : list.path("resources")) {
      if (resource.path("name").asText().equals(name)) return resource;
    }
    throw new AssertionError(name + " is not in " + list);
  }

  @Test
  void listWithLabelSelectors() {
    pod("a", "p1", "{'app':'web','tier':'front'}", "n1", "Running");
    pod("a", "p2", "{'app':'db'}", "n2", "Pending");
    pod("b", "p3", "{'app':'web'}", "n1", "Running");

    assertEquals(List.of("p1", "p2"), listNames("/api/v1/namespaces/a/pods"));
    assertEquals(List.of("p1", "p2", "p3"), listNames("/api/v1/pods"));
    assertEquals(List.of("p1", "p3"), listNames("/api/v1/pods?labelSelector=app=web"));
    assertEquals(List.of("p1", "p3"), listNames("/api/v1/pods?labelSelector=app==web"));
    assertEquals(List.of("p2"), listNames("/api/v1/pods?labelSelector=app!=web"));
    assertEquals(List.of("p1", "p2", "p3"), listNames("/api/v1/pods?labelSelector=app in (web, db)"));
    assertEquals(List.of("p2"), listNames("/api/v1/pods?labelSelector=app notin (web)"));
    assertEquals(List.of("p1"), listNames("/api/v1/pods?labelSelector=tier"));
    assertEquals(List.of("p2", "p3"), listNames("/api/v1/pods?labelSelector=!tier"));
    assertEquals(List.of("p1"), listNames("/api/v1/pods?labelSelector=app=web,tier=front"));
    assertEquals(400, call("GET", "/api/v1/pods?labelSelector=app in web").status());
  }

  @Test
  void listWithFieldSelectors() {
    pod("a", "p1", "{}", "n1", "Running");
    pod("a", "p2", "{}", "n2", "Pending");
    pod("b", "p3", "{}", "n1", "Succeeded");

    assertEquals(List.of("p1", "p3"), listNames("/api/v1/pods?fieldSelector=spec.nodeName=n1"));
    assertEquals(List.of("p3"), listNames("/api/v1/pods?fieldSelector=spec.nodeName==n1,metadata.namespace=b"));
    assertEquals(List.of("p2"), listNames("/api/v1/pods?fieldSelector=metadata.name=p2"));
    assertEquals(List.of("p1", "p2"),
        listNames("/api/v1/pods?fieldSelector=status.phase!=Succeeded,status.phase!=Failed"));
    assertEquals(List.of("p1"), listNames("/api/v1/namespaces/a/pods?fieldSelector=spec.nodeName=n1"
        + "&labelSelector=!missing"));
  }

  @Test
  void listHasTheKindListShapeAndTheStoresResourceVersion() {
    pod("a", "p1", "{}", "n1", "Running");
    JsonNode list = body(call("GET", "/api/v1/namespaces/a/pods"));

    assertEquals("PodList", list.path("kind").asText());
    assertEquals("v1", list.path("apiVersion").asText());
    assertEquals(Long.toString(store.resourceVersion()), list.path("metadata").path("resourceVersion").asText());
    assertEquals("DeploymentList", body(call("GET", "/apis/apps/v1/deployments")).path("kind").asText());
  }

  @Test
  void createGetUpdateAndDelete() {
    ApiResponse created = call("POST", "/api/v1/namespaces/kube-system/configmaps", "application/json",
        "{'metadata':{'name':'kubeadm-config','namespace':'other'},'data':{'a':'1'}}");
    assertEquals(201, created.status());
    assertEquals("kube-system", body(created).path("metadata").path("namespace").asText(),
        "the namespace of the path wins");

    ApiResponse got = call("GET", "/api/v1/namespaces/kube-system/configmaps/kubeadm-config");
    assertEquals(200, got.status());
    ObjectNode object = (ObjectNode) body(got);
    object.withObjectProperty("data").put("a", "2");
    ApiResponse updated = call("PUT", "/api/v1/namespaces/kube-system/configmaps/kubeadm-config",
        "application/json", object.toString());
    assertEquals(200, updated.status());
    assertEquals("2", body(updated).path("data").path("a").asText());

    ApiResponse stale = call("PUT", "/api/v1/namespaces/kube-system/configmaps/kubeadm-config",
        "application/json", object.toString());
    assertEquals(409, stale.status());
    assertEquals("Conflict", body(stale).path("reason").asText());

    ApiResponse deleted = call("DELETE", "/api/v1/namespaces/kube-system/configmaps/kubeadm-config",
        "application/json", "{'kind':'DeleteOptions','apiVersion':'v1','propagationPolicy':'Background'}");
    assertEquals(200, deleted.status());
    assertEquals("kubeadm-config", body(deleted).path("metadata").path("name").asText());
    assertEquals(404, call("GET", "/api/v1/namespaces/kube-system/configmaps/kubeadm-config").status());
    assertEquals(404, call("DELETE", "/api/v1/namespaces/kube-system/configmaps/kubeadm-config").status());
  }

  @Test
  void deleteOfAnObjectWithFinalizersAnswersItTerminating() {
    call("POST", "/api/v1/namespaces", "application/json", "{'metadata':{'name':'ns','finalizers':['f']}}");

    ApiResponse deleted = call("DELETE", "/api/v1/namespaces/ns");
    assertEquals(200, deleted.status());
    assertTrue(body(deleted).path("metadata").hasNonNull("deletionTimestamp"));
    assertEquals(200, call("GET", "/api/v1/namespaces/ns").status());
  }

  @Test
  void deleteCollectionDeletesWhatTheSelectorsMatch() {
    pod("a", "p1", "{'app':'web'}", "n1", "Running");
    pod("a", "p2", "{'app':'db'}", "n1", "Running");

    ApiResponse deleted = call("DELETE", "/api/v1/namespaces/a/pods?labelSelector=app=web");
    assertEquals(200, deleted.status());
    assertEquals("PodList", body(deleted).path("kind").asText());
    assertEquals(1, body(deleted).path("items").size());
    assertEquals(List.of("p2"), listNames("/api/v1/namespaces/a/pods"));
  }

  @Test
  void deleteOptionsAndEvictionsInProtobufAreRead() {
    // client-go (CAPI core deleting a Machine's Node, draining) sends these bodies as protobuf: 415 left the Machine
    // deleting for ever
    call("POST", "/api/v1/nodes", "application/json", "{'metadata':{'name':'n1'}}");
    String uid = body(call("GET", "/api/v1/nodes/n1")).path("metadata").path("uid").asText();
    byte[] wrongUid = kubernetesProtobuf("v1", "DeleteOptions", message(2, message(1, text("other-uid"))));
    assertEquals(409, protobuf("DELETE", "/api/v1/nodes/n1", wrongUid).status(), "the uid precondition is honoured");
    byte[] rightUid = kubernetesProtobuf("v1", "DeleteOptions",
        concat(message(2, message(1, text(uid))), new byte[] {0x22, 0x0a}, text("Background")));
    assertEquals(200, protobuf("DELETE", "/api/v1/nodes/n1", rightUid).status());
    assertEquals(404, call("GET", "/api/v1/nodes/n1").status());

    pod("a", "p1", "{'app':'web'}", "n1", "Running");
    byte[] otherPod = kubernetesProtobuf("policy/v1", "Eviction", message(1, message(1, text("p2"))));
    assertEquals(400, protobuf("POST", "/api/v1/namespaces/a/pods/p1/eviction", otherPod).status());
    byte[] eviction = kubernetesProtobuf("policy/v1", "Eviction", message(1, message(1, text("p1"))));
    assertEquals(201, protobuf("POST", "/api/v1/namespaces/a/pods/p1/eviction", eviction).status());
    assertEquals(404, call("GET", "/api/v1/namespaces/a/pods/p1").status());
  }

  private ApiResponse protobuf(String method, String path, byte[] body) {
    return api.handle(method, path, Map.of(), "application/vnd.kubernetes.protobuf", body);
  }

  /** k8s\0 + runtime.Unknown{1: typeMeta{1: apiVersion, 2: kind}, 2: raw}. */
  private static byte[] kubernetesProtobuf(String apiVersion, String kind, byte[] raw) {
    byte[] typeMeta = concat(field(1, text(apiVersion)), field(2, text(kind)));
    return concat(new byte[] {'k', '8', 's', 0}, field(1, typeMeta), field(2, raw));
  }

  private static byte[] message(int number, byte[] content) {
    return field(number, content);
  }

  private static byte[] field(int number, byte[] content) {
    return concat(new byte[] {(byte) (number << 3 | 2), (byte) content.length}, content);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  @Test
  void patchesByContentType() {
    call("POST", "/api/v1/nodes", "application/json", "{'metadata':{'name':'n1','labels':{'a':'1'}},'spec':{}}");

    assertEquals("2", body(call("PATCH", "/api/v1/nodes/n1", "application/merge-patch+json",
        "{'metadata':{'labels':{'a':'2'}}}")).path("metadata").path("labels").path("a").asText());
    assertEquals("3", body(call("PATCH", "/api/v1/nodes/n1", "application/json-patch+json",
        "[{'op':'replace','path':'/metadata/labels/a','value':'3'}]")).path("metadata").path("labels").path("a")
        .asText());
    JsonNode tainted = body(call("PATCH", "/api/v1/nodes/n1/status", "application/strategic-merge-patch+json",
        "{'spec':{'taints':[{'key':'k','effect':'NoSchedule'}]},'status':{'conditions':[{'type':'Ready'}]}}"));
    assertEquals("k", tainted.path("spec").path("taints").get(0).path("key").asText());
    assertEquals("Ready", tainted.path("status").path("conditions").get(0).path("type").asText());

    ApiResponse applied = call("PATCH", "/api/v1/namespaces/kube-system/configmaps/applied?fieldManager=capi&force=true",
        "application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  x: y\n");
    assertEquals(201, applied.status());
    assertEquals("y", body(applied).path("data").path("x").asText());
    assertEquals(200, call("PATCH", "/api/v1/namespaces/kube-system/configmaps/applied",
        "application/apply-patch+yaml", "data:\n  x: z\n").status());

    ApiResponse unknownFormat = call("PATCH", "/api/v1/nodes/n1", "text/plain", "x");
    assertEquals(415, unknownFormat.status());
    assertEquals(404, call("PATCH", "/api/v1/nodes/missing", "application/merge-patch+json", "{}").status());
  }

  @Test
  void errorsAreStatusObjects() {
    ApiResponse missing = call("GET", "/api/v1/namespaces/a/pods/nope");
    assertEquals(404, missing.status());
    assertEquals("application/json", missing.contentType());
    JsonNode status = body(missing);
    assertEquals("pods \"nope\" not found", status.path("message").asText());
    ((ObjectNode) status).remove("message");
    assertEquals(json("""
        {'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure',
         'reason':'NotFound','details':{'name':'nope','kind':'pods'},'code':404}
        """), status);

    ApiResponse missingDeployment = call("GET", "/apis/apps/v1/namespaces/a/deployments/d");
    assertEquals(json("{'name':'d','group':'apps','kind':'deployments'}"), body(missingDeployment).path("details"));

    ApiResponse unknownResource = call("GET", "/api/v1/widgets");
    assertEquals(404, unknownResource.status());
    assertEquals("the server could not find the requested resource", body(unknownResource).path("message").asText());
    assertEquals(404, call("GET", "/api/v1/nodes/n1/namespaces/x/y").status());
    assertEquals(404, call("GET", "/nothing/here").status());
    assertEquals(404, call("GET", "/api/v1/pods/p1").status(), "a namespaced object needs its namespace");

    ApiResponse nameMismatch = call("PUT", "/api/v1/nodes/n1", "application/json", "{'metadata':{'name':'n2'}}");
    assertEquals(400, nameMismatch.status());
    assertEquals("BadRequest", body(nameMismatch).path("reason").asText());

    ApiResponse protobuf = call("POST", "/api/v1/nodes", "application/vnd.kubernetes.protobuf", "k8s\0");
    assertEquals(415, protobuf.status());
    assertEquals("UnsupportedMediaType", body(protobuf).path("reason").asText());

    assertEquals(405, call("POST", "/api/v1/nodes/n1").status());
    assertEquals(400, call("POST", "/api/v1/nodes", "application/json", "{not json").status());

    call("POST", "/api/v1/nodes", "application/json", "{'metadata':{'name':'n1'}}");
    ApiResponse exists = call("POST", "/api/v1/nodes", "application/json", "{'metadata':{'name':'n1'}}");
    assertEquals(409, exists.status());
    assertEquals("AlreadyExists", body(exists).path("reason").asText());
  }

  @Test
  void anEvictionDeletesThePod() {
    pod("kube-system", "etcd-n1", "{}", "n1", "Running");

    ApiResponse evicted = call("POST", "/api/v1/namespaces/kube-system/pods/etcd-n1/eviction", "application/json",
        "{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'etcd-n1','namespace':'kube-system'},"
            + "'deleteOptions':{}}");
    assertEquals(201, evicted.status());
    assertEquals("Success", body(evicted).path("status").asText());
    assertEquals(404, call("GET", "/api/v1/namespaces/kube-system/pods/etcd-n1").status());

    assertEquals(404, call("POST", "/api/v1/namespaces/kube-system/pods/etcd-n1/eviction", "application/json",
        "{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'etcd-n1'}}").status());
    pod("kube-system", "other", "{}", "n1", "Running");
    assertEquals(400, call("POST", "/api/v1/namespaces/kube-system/pods/other/eviction", "application/json",
        "{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'etcd-n1'}}").status());
  }

  @Test
  void watchRequestsAreParsed() {
    assertTrue(api.watchRequest("GET", "/api/v1/pods", query("")).isEmpty());
    assertTrue(api.watchRequest("POST", "/api/v1/pods", query("watch=true")).isEmpty());
    assertTrue(api.watchRequest("GET", "/version", query("watch=true")).isEmpty());

    WatchRequest fromNow = api.watchRequest("GET", "/api/v1/namespaces/a/pods",
        query("watch=1&labelSelector=app=web&fieldSelector=spec.nodeName=n1&timeoutSeconds=300")).orElseThrow();
    assertEquals(ResourceTypes.PODS, fromNow.type());
    assertEquals("a", fromNow.namespace());
    assertEquals(0, fromNow.resourceVersion());
    assertTrue(fromNow.sendInitialEvents(), "a watch without resourceVersion starts with the current objects");
    assertFalse(fromNow.allowBookmarks());
    assertEquals(300, fromNow.timeoutSeconds());
    assertTrue(fromNow.filter().test(json("{'metadata':{'labels':{'app':'web'}},'spec':{'nodeName':'n1'}}")));
    assertFalse(fromNow.filter().test(json("{'metadata':{'labels':{'app':'web'}},'spec':{'nodeName':'n2'}}")));

    WatchRequest fromList = api.watchRequest("GET", "/apis/apps/v1/deployments",
        query("watch=true&resourceVersion=42&allowWatchBookmarks=true")).orElseThrow();
    assertEquals(ResourceTypes.DEPLOYMENTS, fromList.type());
    assertNull(fromList.namespace());
    assertEquals(42, fromList.resourceVersion());
    assertFalse(fromList.sendInitialEvents());
    assertTrue(fromList.allowBookmarks());
    assertNull(fromList.timeoutSeconds());

    WatchRequest streamingList = api.watchRequest("GET", "/api/v1/nodes",
        query("watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"))
        .orElseThrow();
    assertTrue(streamingList.sendInitialEvents());
    assertTrue(streamingList.allowBookmarks());
    assertFalse(api.watchRequest("GET", "/api/v1/nodes", query("watch=true&resourceVersion=0&sendInitialEvents=false"))
        .orElseThrow().sendInitialEvents());

    WatchRequest legacy = api.watchRequest("GET", "/api/v1/watch/namespaces/a/pods/p1", query("")).orElseThrow();
    assertTrue(legacy.filter().test(json("{'metadata':{'name':'p1'}}")));
    assertFalse(legacy.filter().test(json("{'metadata':{'name':'p2'}}")));

    assertEquals(400, assertThrows(ApiException.class,
        () -> api.watchRequest("GET", "/api/v1/pods", query("watch=true&resourceVersion=abc"))).code());
    assertEquals(400, assertThrows(ApiException.class,
        () -> api.watchRequest("GET", "/api/v1/pods", query("watch=true&labelSelector=a in b"))).code());
    assertEquals(404, assertThrows(ApiException.class,
        () -> api.watchRequest("GET", "/api/v1/widgets", query("watch=true"))).code());
  }

  @Test
  void aWatchFromAListsResourceVersionSeesTheChangesSince() {
    pod("a", "p1", "{}", "n1", "Running");
    String listVersion = body(call("GET", "/api/v1/pods")).path("metadata").path("resourceVersion").asText();
    pod("a", "p2", "{}", "n1", "Running");

    WatchRequest request = api.watchRequest("GET", "/api/v1/pods",
        query("watch=true&resourceVersion=" + listVersion)).orElseThrow();
    List<String> lines = new ArrayList<>();
    store.watch(request.type(), request.namespace(), request.resourceVersion(), event -> {
      if (request.filter().test(event.object())) lines.add(new String(ApiRequests.encode(event), StandardCharsets.UTF_8));
    });

    assertEquals(1, lines.size());
    assertTrue(lines.get(0).endsWith("\n"));
    JsonNode event = json(lines.get(0).trim().replace('"', '\''));
    assertEquals("ADDED", event.path("type").asText());
    assertEquals("p2", event.path("object").path("metadata").path("name").asText());
  }

  @Test
  void bookmarksAndErrorEventsAreWatchLines() {
    String bookmark = new String(ApiRequests.bookmark(ResourceTypes.PODS, 12, true), StandardCharsets.UTF_8);
    assertTrue(bookmark.endsWith("\n"));
    assertEquals(json("""
        {'type':'BOOKMARK','object':{'kind':'Pod','apiVersion':'v1',
         'metadata':{'resourceVersion':'12','annotations':{'k8s.io/initial-events-end':'true'}}}}
        """), json(bookmark.trim().replace('"', '\'')));
    String plain = new String(ApiRequests.bookmark(ResourceTypes.DEPLOYMENTS, 3, false), StandardCharsets.UTF_8);
    assertEquals("apps/v1", json(plain.replace('"', '\'')).path("object").path("apiVersion").asText());
    assertFalse(plain.contains("annotations"));

    String error = new String(ApiRequests.errorEvent(new ApiException(410, "Expired", "too old resource version")),
        StandardCharsets.UTF_8);
    JsonNode errorEvent = json(error.replace('"', '\''));
    assertEquals("ERROR", errorEvent.path("type").asText());
    assertEquals(410, errorEvent.path("object").path("code").asInt());
    assertEquals("Expired", errorEvent.path("object").path("reason").asText());
  }
}
