package io.capdjava.docker.inmemory.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.docker.inmemory.workload.ObjectStore.EventType;
import io.capdjava.docker.inmemory.workload.ObjectStore.PatchFormat;
import io.capdjava.docker.inmemory.workload.ObjectStore.WatchEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ObjectStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A JSON tree written with single quotes (no apostrophes inside), typed as the caller needs it. */
  @SuppressWarnings("unchecked")
  static <T extends JsonNode> T json(String text) {
    try {
      return (T) JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static ObjectNode configMap(String namespace, String name) {
    return json("{'metadata':{'namespace':'" + namespace + "','name':'" + name + "'},'data':{'k':'v'}}");
  }

  @Test
  void createSetsWhatTheServerOwns() {
    ObjectStore store = new ObjectStore();
    ObjectNode created = store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));

    assertEquals("v1", created.path("apiVersion").asText());
    assertEquals("ConfigMap", created.path("kind").asText());
    assertEquals(36, created.path("metadata").path("uid").asText().length());
    assertTrue(created.path("metadata").path("creationTimestamp").asText()
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    // counted from 1, as etcd's revision: the first change is resourceVersion 2
    assertEquals("2", created.path("metadata").path("resourceVersion").asText());
    assertEquals(1, created.path("metadata").path("generation").asInt());
    assertEquals(2, store.resourceVersion());
    assertEquals(created, store.get(ResourceTypes.CONFIG_MAPS, "default", "one").orElseThrow());
  }

  @Test
  void objectsAreCopiedInAndOut() {
    ObjectStore store = new ObjectStore();
    ObjectNode given = configMap("default", "one");
    store.create(ResourceTypes.CONFIG_MAPS, given);
    given.withObjectProperty("data").put("k", "changed");
    store.get(ResourceTypes.CONFIG_MAPS, "default", "one").orElseThrow().withObjectProperty("data").put("k", "changed too");

    assertEquals("v", store.get(ResourceTypes.CONFIG_MAPS, "default", "one").orElseThrow()
        .path("data").path("k").asText());
  }

  @Test
  void generateNameAddsFiveLowercaseCharacters() {
    ObjectStore store = new ObjectStore();
    ObjectNode created = store.create(ResourceTypes.PODS,
        json("{'metadata':{'namespace':'kube-system','generateName':'coredns-'}}"));

    assertTrue(created.path("metadata").path("name").asText().matches("coredns-[a-z0-9]{5}"));
  }

  @Test
  void aNameOrGenerateNameIsRequired() {
    ApiException error = assertThrows(ApiException.class,
        () -> new ObjectStore().create(ResourceTypes.NODES, json("{'metadata':{}}")));
    assertEquals(422, error.code());
  }

  @Test
  void namespacedKindsNeedANamespaceButNotTheNamespaceObject() {
    ObjectStore store = new ObjectStore();
    ApiException error = assertThrows(ApiException.class,
        () -> store.create(ResourceTypes.SECRETS, json("{'metadata':{'name':'s'}}")));
    assertEquals(400, error.code());
    assertEquals("BadRequest", error.reason());

    store.create(ResourceTypes.SECRETS, json("{'metadata':{'name':'s','namespace':'nowhere'}}"));
    assertTrue(store.get(ResourceTypes.SECRETS, "nowhere", "s").isPresent());
  }

  @Test
  void clusterScopedObjectsHaveNoNamespace() {
    ObjectStore store = new ObjectStore();
    ObjectNode node = store.create(ResourceTypes.NODES, json("{'metadata':{'name':'n1','namespace':'x'}}"));

    assertFalse(node.path("metadata").has("namespace"));
    assertTrue(store.get(ResourceTypes.NODES, "", "n1").isPresent());
    assertTrue(store.get(ResourceTypes.NODES, null, "n1").isPresent());
  }

  @Test
  void creatingTwiceIsAlreadyExistsAndCreateIfAbsentReturnsTheStoredOne() {
    ObjectStore store = new ObjectStore();
    ObjectNode first = store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));

    ApiException error = assertThrows(ApiException.class,
        () -> store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one")));
    assertEquals(409, error.code());
    assertEquals("AlreadyExists", error.reason());
    assertEquals(first, store.createIfAbsent(ResourceTypes.CONFIG_MAPS, configMap("default", "one")));
    assertEquals(2, store.resourceVersion());
  }

  @Test
  void listFiltersByNamespaceAndPredicateInNameOrder() {
    ObjectStore store = new ObjectStore();
    store.create(ResourceTypes.CONFIG_MAPS, configMap("b", "z"));
    store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "y"));
    store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "x"));

    assertEquals(List.of("a/x", "a/y", "b/z"), names(store.list(ResourceTypes.CONFIG_MAPS, null, o -> true)));
    assertEquals(List.of("a/x", "a/y"), names(store.list(ResourceTypes.CONFIG_MAPS, "a", o -> true)));
    assertEquals(List.of("a/y"), names(store.list(ResourceTypes.CONFIG_MAPS, "a",
        o -> o.path("metadata").path("name").asText().equals("y"))));
    assertEquals(List.of(), store.list(ResourceTypes.SECRETS, null, o -> true));
  }

  @Test
  void updateKeepsIdentityAndBumpsGenerationOnlyForSpecChanges() {
    ObjectStore store = new ObjectStore();
    ObjectNode created = store.create(ResourceTypes.DEPLOYMENTS,
        json("{'metadata':{'namespace':'ns','name':'d'},'spec':{'replicas':1}}"));

    ObjectNode statusOnly = created.deepCopy();
    statusOnly.putObject("status").put("readyReplicas", 1);
    ((ObjectNode) statusOnly.get("metadata")).put("uid", "forged");
    ObjectNode afterStatus = store.update(ResourceTypes.DEPLOYMENTS, statusOnly);
    assertEquals(1, afterStatus.path("metadata").path("generation").asInt());
    assertEquals(created.path("metadata").path("uid"), afterStatus.path("metadata").path("uid"));
    assertEquals(created.path("metadata").path("creationTimestamp"),
        afterStatus.path("metadata").path("creationTimestamp"));
    assertEquals("3", afterStatus.path("metadata").path("resourceVersion").asText());

    ObjectNode specChange = afterStatus.deepCopy();
    specChange.withObjectProperty("spec").put("replicas", 3);
    ObjectNode afterSpec = store.update(ResourceTypes.DEPLOYMENTS, specChange);
    assertEquals(2, afterSpec.path("metadata").path("generation").asInt());
    assertEquals("4", afterSpec.path("metadata").path("resourceVersion").asText());
  }

  @Test
  void anUpdateThatChangesNothingIsNotAChange() {
    ObjectStore store = new ObjectStore();
    ObjectNode created = store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));

    assertEquals(created, store.update(ResourceTypes.CONFIG_MAPS, created));
    assertEquals(2, store.resourceVersion());
  }

  @Test
  void updateOfAMissingObjectIsNotFoundAndOfAStaleOneIsConflict() {
    ObjectStore store = new ObjectStore();
    ApiException missing = assertThrows(ApiException.class,
        () -> store.update(ResourceTypes.CONFIG_MAPS, configMap("default", "one")));
    assertEquals(404, missing.code());

    ObjectNode created = store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));
    ObjectNode stale = created.deepCopy();
    created.withObjectProperty("data").put("k", "first");
    store.update(ResourceTypes.CONFIG_MAPS, created);
    stale.withObjectProperty("data").put("k", "second");
    ApiException conflict = assertThrows(ApiException.class, () -> store.update(ResourceTypes.CONFIG_MAPS, stale));
    assertEquals(409, conflict.code());
    assertEquals("Conflict", conflict.reason());

    ((ObjectNode) stale.get("metadata")).remove("resourceVersion");
    assertEquals("second", store.update(ResourceTypes.CONFIG_MAPS, stale).path("data").path("k").asText(),
        "an update without resourceVersion is unconditional");
  }

  @Test
  void deleteWithoutFinalizersRemovesAtOnce() {
    ObjectStore store = new ObjectStore();
    store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));

    ObjectNode deleted = store.delete(ResourceTypes.CONFIG_MAPS, "default", "one").orElseThrow();
    assertEquals("3", deleted.path("metadata").path("resourceVersion").asText());
    assertTrue(store.get(ResourceTypes.CONFIG_MAPS, "default", "one").isEmpty());
    assertTrue(store.delete(ResourceTypes.CONFIG_MAPS, "default", "one").isEmpty());
  }

  @Test
  void finalizersHoldTheObjectUntilTheLastIsRemoved() {
    ObjectStore store = new ObjectStore();
    List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
    store.watch(ResourceTypes.PODS, null, 0, events::add);
    store.create(ResourceTypes.PODS,
        json("{'metadata':{'namespace':'ns','name':'p','finalizers':['a','b']},'spec':{}}"));

    ObjectNode terminating = store.delete(ResourceTypes.PODS, "ns", "p").orElseThrow();
    assertTrue(terminating.path("metadata").hasNonNull("deletionTimestamp"));
    assertEquals(terminating, store.get(ResourceTypes.PODS, "ns", "p").orElseThrow());

    ObjectNode addingOne = terminating.deepCopy();
    addingOne.withArray("/metadata/finalizers").add("c");
    assertEquals(422, assertThrows(ApiException.class, () -> store.update(ResourceTypes.PODS, addingOne)).code());

    ObjectNode oneLeft = store.patch(ResourceTypes.PODS, "ns", "p", PatchFormat.MERGE_PATCH,
        "{\"metadata\":{\"finalizers\":[\"b\"]}}");
    assertEquals(terminating.path("metadata").path("deletionTimestamp"),
        oneLeft.path("metadata").path("deletionTimestamp"));
    assertTrue(store.get(ResourceTypes.PODS, "ns", "p").isPresent());

    ObjectNode none = oneLeft.deepCopy();
    none.withArray("/metadata/finalizers").removeAll();
    store.update(ResourceTypes.PODS, none);
    assertTrue(store.get(ResourceTypes.PODS, "ns", "p").isEmpty());

    assertEquals(List.of(EventType.ADDED, EventType.MODIFIED, EventType.MODIFIED, EventType.DELETED),
        events.stream().map(WatchEvent::type).toList());
  }

  @Test
  void deletePreconditionsAreChecked() {
    ObjectStore store = new ObjectStore();
    store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));

    ApiException error = assertThrows(ApiException.class,
        () -> store.delete(ResourceTypes.CONFIG_MAPS, "default", "one", "other-uid", null));
    assertEquals(409, error.code());
    assertTrue(store.delete(ResourceTypes.CONFIG_MAPS, "default", "one", null, "2").isPresent());
  }

  @Test
  void aMergePatchWithAStaleResourceVersionConflicts() {
    ObjectStore store = new ObjectStore();
    store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));
    store.patch(ResourceTypes.CONFIG_MAPS, "default", "one", PatchFormat.MERGE_PATCH, "{\"data\":{\"k\":\"2\"}}");

    // what client.MergeFromWithOptimisticLock sends
    ApiException error = assertThrows(ApiException.class, () -> store.patch(ResourceTypes.CONFIG_MAPS, "default",
        "one", PatchFormat.MERGE_PATCH, "{\"metadata\":{\"resourceVersion\":\"2\"},\"data\":{\"k\":\"3\"}}"));
    assertEquals(409, error.code());

    ObjectNode patched = store.patch(ResourceTypes.CONFIG_MAPS, "default", "one", PatchFormat.MERGE_PATCH,
        "{\"metadata\":{\"resourceVersion\":\"3\"},\"data\":{\"k\":\"3\"}}");
    assertEquals("3", patched.path("data").path("k").asText());
    assertEquals("4", patched.path("metadata").path("resourceVersion").asText());
  }

  @Test
  void aPatchCannotChangeIdentity() {
    ObjectStore store = new ObjectStore();
    ObjectNode created = store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));

    ObjectNode patched = store.patch(ResourceTypes.CONFIG_MAPS, "default", "one", PatchFormat.JSON_PATCH,
        "[{\"op\":\"replace\",\"path\":\"/metadata/uid\",\"value\":\"x\"}]");
    assertEquals(created.path("metadata").path("uid"), patched.path("metadata").path("uid"));
    assertEquals(400, assertThrows(ApiException.class, () -> store.patch(ResourceTypes.CONFIG_MAPS, "default", "one",
        PatchFormat.MERGE_PATCH, "{\"metadata\":{\"name\":\"two\"}}")).code());
    assertEquals(404, assertThrows(ApiException.class, () -> store.patch(ResourceTypes.CONFIG_MAPS, "default",
        "missing", PatchFormat.MERGE_PATCH, "{}")).code());
  }

  @Test
  void aJsonPatchTestOnTheResourceVersionGuardsIt() {
    ObjectStore store = new ObjectStore();
    store.create(ResourceTypes.CONFIG_MAPS, configMap("default", "one"));
    String guarded = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"},"
        + "{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"new\"}]";

    assertEquals(422, assertThrows(ApiException.class, () -> store.patch(ResourceTypes.CONFIG_MAPS, "default", "one",
        PatchFormat.JSON_PATCH, guarded)).code());
    assertEquals("new", store.patch(ResourceTypes.CONFIG_MAPS, "default", "one", PatchFormat.JSON_PATCH,
        guarded.replace("\"7\"", "\"2\"")).path("data").path("k").asText());
  }

  @Test
  void applyCreatesAMissingObjectAndMergesIntoAnExistingOne() {
    ObjectStore store = new ObjectStore();
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: applied
          namespace: kube-system
        data:
          a: "1"
        """;

    ObjectStore.Patched created = store.patchOrApply(ResourceTypes.CONFIG_MAPS, "kube-system", "applied",
        PatchFormat.APPLY_PATCH, yaml);
    assertTrue(created.created());
    assertEquals("1", created.object().path("data").path("a").asText());
    assertFalse(created.object().path("metadata").path("uid").asText().isEmpty());

    ObjectNode merged = store.patch(ResourceTypes.CONFIG_MAPS, "kube-system", "applied", PatchFormat.APPLY_PATCH,
        "{\"data\":{\"b\":\"2\"}}");
    assertEquals(json("{'a':'1','b':'2'}"), merged.path("data"));
  }

  @Test
  void aWatchFromAListsResourceVersionReplaysWhatHappenedSince() {
    ObjectStore store = new ObjectStore();
    store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "before"));
    ObjectStore.Listing listing = store.listing(ResourceTypes.CONFIG_MAPS, null, o -> true);
    store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "after"));
    store.create(ResourceTypes.CONFIG_MAPS, configMap("b", "elsewhere"));
    store.create(ResourceTypes.SECRETS, json("{'metadata':{'namespace':'a','name':'s'}}"));
    store.delete(ResourceTypes.CONFIG_MAPS, "a", "before");

    List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (ObjectStore.Watch watch = store.watch(ResourceTypes.CONFIG_MAPS, "a", listing.resourceVersion(),
        events::add)) {
      store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "live"));
    }
    store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "after-close"));

    assertEquals(List.of("ADDED a/after", "DELETED a/before", "ADDED a/live"), events.stream()
        .map(e -> e.type() + " " + e.object().path("metadata").path("namespace").asText() + "/"
            + e.object().path("metadata").path("name").asText())
        .toList());
    assertEquals("6", events.get(1).object().path("metadata").path("resourceVersion").asText(),
        "a DELETED event carries the deletion's resourceVersion");
  }

  @Test
  void aWatchFromBeyondTheHistoryIsExpired() {
    ObjectStore store = new ObjectStore(3);
    for (int i = 0; i < 5; i++) store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "cm" + i));

    ApiException error = assertThrows(ApiException.class,
        () -> store.watch(ResourceTypes.CONFIG_MAPS, null, 2, e -> {}));
    assertEquals(410, error.code());
    assertEquals("Expired", error.reason());

    List<WatchEvent> events = new ArrayList<>();
    store.watch(ResourceTypes.CONFIG_MAPS, null, 3, events::add).close();
    assertEquals(3, events.size(), "resourceVersions 4, 5 and 6 are still remembered");
  }

  @Test
  void aListenerMayChangeTheStoreAndStillSeesEventsInOrder() {
    ObjectStore store = new ObjectStore();
    List<Long> versions = new ArrayList<>();
    store.watch(ResourceTypes.CONFIG_MAPS, null, 0, event -> {
      versions.add(event.object().path("metadata").path("resourceVersion").asLong());
      if (event.type() == EventType.ADDED && event.object().path("metadata").path("name").asText().equals("first")) {
        store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "second"));
      }
    });

    store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "first"));

    assertEquals(List.of(2L, 3L), versions);
  }

  @Test
  void concurrentChangesReachAWatcherOnceEachInResourceVersionOrder() throws Exception {
    ObjectStore store = new ObjectStore();
    List<Long> versions = Collections.synchronizedList(new ArrayList<>());
    store.watch(ResourceTypes.CONFIG_MAPS, null, 0,
        event -> versions.add(event.object().path("metadata").path("resourceVersion").asLong()));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      int thread = t;
      threads.submit(() -> {
        start.await();
        for (int i = 0; i < 200; i++) store.create(ResourceTypes.CONFIG_MAPS, configMap("t" + thread, "cm" + i));
        return null;
      });
    }
    start.countDown();
    threads.shutdown();
    assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));

    assertEquals(1600, versions.size());
    for (int i = 0; i < versions.size(); i++) assertEquals(i + 2, versions.get(i));
    assertEquals(1601, store.resourceVersion());
  }

  @Test
  void resourceVersionsAreOneCounterForAllKinds() {
    ObjectStore store = new ObjectStore();
    ObjectNode first = store.create(ResourceTypes.NODES, json("{'metadata':{'name':'n'}}"));
    ObjectNode second = store.create(ResourceTypes.CONFIG_MAPS, configMap("a", "b"));

    assertNotEquals(first.path("metadata").path("resourceVersion"), second.path("metadata").path("resourceVersion"));
    assertEquals(3, store.resourceVersion());
  }

  @Test
  void aWatchFromTheListingOfAFreshStoreMissesNothing() {
    ObjectStore store = new ObjectStore();
    ObjectStore.Listing empty = store.listing(ResourceTypes.NODES, null, o -> true);
    store.create(ResourceTypes.NODES, json("{'metadata':{'name':'n'}}"));

    List<WatchEvent> events = new ArrayList<>();
    store.watch(ResourceTypes.NODES, null, empty.resourceVersion(), events::add);
    assertEquals(1, events.size());
  }

  private static List<String> names(List<ObjectNode> objects) {
    return objects.stream()
        .map(o -> o.path("metadata").path("namespace").asText() + "/" + o.path("metadata").path("name").asText())
        .toList();
  }
}
