package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects of one simulated workload cluster, as its API server stores them: JSON objects per {@link ResourceType},
 * one resourceVersion counter for the cluster, watchers told of every change. Thread-safe. Objects handed out are
 * copies; objects handed in are not kept.
 *
 * <p>Changes are made under one lock; events are queued per watcher under that lock (so each watcher's queue is in
 * resourceVersion order) and delivered after it is released, by whichever changing thread finds the watcher idle, so
 * listeners never run under the lock and a listener may itself change the store. The last {@link #DEFAULT_HISTORY}
 * events are kept, serialized (compact), so that a watch from a LIST's resourceVersion can be replayed.
 */
public final class ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  /** How many events a store keeps for watches that start in the past. */
  public static final int DEFAULT_HISTORY = 10_000;

  /** What a change was, as a watch event's {@code type} says it. */
  public enum EventType { ADDED, MODIFIED, DELETED }

  /** One change, with the object after it (for DELETED, the last state). */
  public record WatchEvent(EventType type, ObjectNode object) {}

  /** A registered watcher; {@link #close()} stops events. */
  public interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  /** The patch formats the API server accepts, by their Content-Type. */
  public enum PatchFormat {
    JSON_PATCH("application/json-patch+json"),
    MERGE_PATCH("application/merge-patch+json"),
    STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
    APPLY_PATCH("application/apply-patch+yaml");

    public final String contentType;

    PatchFormat(String contentType) {
      this.contentType = contentType;
    }

    /** The format a Content-Type (parameters allowed) names, if any. */
    public static Optional<PatchFormat> byContentType(String contentType) {
      if (contentType == null) return Optional.empty();
      String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
      for (PatchFormat format : values()) {
        if (format.contentType.equals(mediaType)) return Optional.of(format);
      }
      // some clients send the apply body as JSON under this name
      if (mediaType.equals("application/apply-patch+json")) return Optional.of(APPLY_PATCH);
      return Optional.empty();
    }
  }

  /** Where an object is stored: namespace ("" when cluster-scoped) and name. */
  private record Key(String namespace, String name) {
    static final Comparator<Key> ORDER = Comparator.comparing(Key::namespace).thenComparing(Key::name);
  }

  /** One remembered change: what a late watcher needs to filter and replay it. */
  private record HistoryEntry(long resourceVersion, ResourceType type, String namespace, EventType eventType,
      byte[] object) {}

  private final Object lock = new Object();
  /** Per type, created with the type's first object and dropped with its last. */
  private final Map<ResourceType, TreeMap<Key, ObjectNode>> objects = new HashMap<>();
  private final Map<ResourceType, List<Watcher>> watchers = new HashMap<>();
  private final ArrayDeque<HistoryEntry> history = new ArrayDeque<>();
  private final int historyLimit;
  /** Events at or below this resourceVersion may have left the history. */
  private long historyFloor;
  /**
   * Starts at 1, as etcd's revision does: a LIST of an empty store then answers a resourceVersion a watch can start
   * from (0 would mean "from now", missing a change made between the LIST and the watch).
   */
  private long resourceVersion = 1;

  public ObjectStore() {
    this(DEFAULT_HISTORY);
  }

  /** A store keeping the last {@code historyLimit} events for watches that start in the past. */
  public ObjectStore(int historyLimit) {
    if (historyLimit < 1) throw new IllegalArgumentException("historyLimit must be positive");
    this.historyLimit = historyLimit;
  }

  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    Key key = key(type, namespace, name);
    synchronized (lock) {
      ObjectNode stored = stored(type, key);
      return Optional.ofNullable(stored == null ? null : stored.deepCopy());
    }
  }

  /** Objects of {@code type} in {@code namespace} (null: all namespaces) that {@code filter} accepts, by name. */
  public List<ObjectNode> list(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    return listing(type, namespace, filter).items();
  }

  /** A LIST's answer: the objects and the resourceVersion they were read at (a watch from it misses nothing). */
  public record Listing(long resourceVersion, List<ObjectNode> items) {}

  /** {@link #list} together with the resourceVersion the objects were read at, read atomically. */
  public Listing listing(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    List<ObjectNode> copies = new ArrayList<>();
    long version;
    synchronized (lock) {
      version = resourceVersion;
      TreeMap<Key, ObjectNode> ofType = objects.get(type);
      if (ofType != null) {
        for (Map.Entry<Key, ObjectNode> entry : ofType.entrySet()) {
          if (namespace != null && !entry.getKey().namespace().equals(namespace)) continue;
          copies.add(entry.getValue().deepCopy());
        }
      }
    }
    // the filter runs outside the lock: it is the caller's code
    if (filter != null) copies.removeIf(filter.negate());
    return new Listing(version, copies);
  }

  /**
   * Creates the object (name from {@code metadata.generateName} when needed; uid, creationTimestamp, resourceVersion
   * and generation set); {@link ApiException} 409 AlreadyExists when it exists.
   */
  public ObjectNode create(ResourceType type, ObjectNode object) {
    List<Watcher> toDeliver;
    ObjectNode created;
    synchronized (lock) {
      created = insert(type, object);
      toDeliver = record(type, EventType.ADDED, created);
    }
    deliver(toDeliver);
    return created.deepCopy();
  }

  /** Creates the object unless one of that name exists; the stored object either way. */
  public ObjectNode createIfAbsent(ResourceType type, ObjectNode object) {
    List<Watcher> toDeliver;
    ObjectNode result;
    synchronized (lock) {
      ObjectNode existing = existingFor(type, object);
      if (existing != null) return existing.deepCopy();
      result = insert(type, object);
      toDeliver = record(type, EventType.ADDED, result);
    }
    deliver(toDeliver);
    return result.deepCopy();
  }

  /** Replaces the object; 404 when missing, 409 Conflict when its resourceVersion is set and stale. */
  public ObjectNode update(ResourceType type, ObjectNode object) {
    ObjectNode given = object.deepCopy();
    ObjectNode metadata = metadataOf(given);
    Key key = key(type, metadata.path("namespace").asText(""), metadata.path("name").asText(""));
    List<Watcher> toDeliver = new ArrayList<>();
    ObjectNode result;
    synchronized (lock) {
      ObjectNode existing = stored(type, key);
      if (existing == null) throw ApiException.notFound(type, key.name());
      requireCurrent(type, existing, given);
      result = replace(type, key, existing, given, toDeliver);
    }
    deliver(toDeliver);
    return result.deepCopy();
  }

  /** Applies a patch to the stored object (404 when missing; 409 when the patch names a stale resourceVersion). */
  public ObjectNode patch(ResourceType type, String namespace, String name, PatchFormat format, String body) {
    return patchOrApply(type, namespace, name, format, body).object();
  }

  /** What a patch did: the object after it, and whether the patch (a server-side apply) created it. */
  public record Patched(ObjectNode object, boolean created) {}

  /**
   * {@link #patch} that also tells whether the object was created: a server-side apply ({@link PatchFormat#APPLY_PATCH})
   * of a missing object creates it from the body, the other formats answer 404.
   */
  public Patched patchOrApply(ResourceType type, String namespace, String name, PatchFormat format, String body) {
    Key key = key(type, namespace, name);
    List<Watcher> toDeliver = new ArrayList<>();
    Patched patched;
    synchronized (lock) {
      ObjectNode existing = stored(type, key);
      if (existing == null) {
        if (format != PatchFormat.APPLY_PATCH) throw ApiException.notFound(type, key.name());
        ObjectNode fromBody = Patches.apply(NODES.objectNode(), format, body);
        keepIdentity(type, key, fromBody, null);
        ObjectNode metadata = metadataOf(fromBody);
        metadata.remove("resourceVersion");
        ObjectNode created = insert(type, fromBody);
        toDeliver.addAll(record(type, EventType.ADDED, created));
        patched = new Patched(created.deepCopy(), true);
      } else {
        String lockedVersion = Patches.resourceVersionOf(format, body);
        if (lockedVersion != null && !lockedVersion.equals(versionOf(existing))) {
          throw ApiException.conflict(type, key.name());
        }
        ObjectNode result = Patches.apply(existing, format, body);
        keepIdentity(type, key, result, existing);
        // a JSON patch may have rewritten the resourceVersion: the same optimistic lock as an update
        requireCurrent(type, existing, result);
        patched = new Patched(replace(type, key, existing, result, toDeliver).deepCopy(), false);
      }
    }
    deliver(toDeliver);
    return patched;
  }

  /**
   * Deletes the object: gone at once without finalizers, else {@code metadata.deletionTimestamp} set and gone when the
   * last finalizer is removed. Empty when it did not exist.
   */
  public Optional<ObjectNode> delete(ResourceType type, String namespace, String name) {
    return delete(type, namespace, name, null, null);
  }

  /**
   * {@link #delete(ResourceType, String, String)} with DeleteOptions preconditions: 409 Conflict when
   * {@code preconditionUid} or {@code preconditionResourceVersion} (each ignored when null) does not match.
   */
  public Optional<ObjectNode> delete(ResourceType type, String namespace, String name, String preconditionUid,
      String preconditionResourceVersion) {
    Key key = key(type, namespace, name);
    List<Watcher> toDeliver = new ArrayList<>();
    ObjectNode result;
    synchronized (lock) {
      ObjectNode existing = stored(type, key);
      if (existing == null) return Optional.empty();
      ObjectNode metadata = metadataOf(existing);
      if (preconditionUid != null && !preconditionUid.equals(metadata.path("uid").asText())) {
        throw new ApiException(409, "Conflict", "Precondition failed: UID in precondition: " + preconditionUid
            + ", UID in object meta: " + metadata.path("uid").asText());
      }
      if (preconditionResourceVersion != null && !preconditionResourceVersion.equals(versionOf(existing))) {
        throw new ApiException(409, "Conflict", "Precondition failed: ResourceVersion in precondition: "
            + preconditionResourceVersion + ", ResourceVersion in object meta: " + versionOf(existing));
      }
      if (hasFinalizers(existing)) {
        if (metadata.hasNonNull("deletionTimestamp")) return Optional.of(existing.deepCopy());
        ObjectNode terminating = existing.deepCopy();
        ObjectNode terminatingMetadata = metadataOf(terminating);
        terminatingMetadata.put("deletionTimestamp", now());
        terminatingMetadata.put("deletionGracePeriodSeconds", 0);
        terminatingMetadata.put("resourceVersion", Long.toString(++resourceVersion));
        objects.get(type).put(key, terminating);
        toDeliver.addAll(record(type, EventType.MODIFIED, terminating));
        result = terminating;
      } else {
        result = remove(type, key, existing, toDeliver);
      }
    }
    deliver(toDeliver);
    return Optional.of(result.deepCopy());
  }

  /** The cluster's current resourceVersion. */
  public long resourceVersion() {
    synchronized (lock) {
      return resourceVersion;
    }
  }

  /**
   * Registers {@code listener} for changes of {@code type} in {@code namespace} (null: all) after resourceVersion
   * {@code fromResourceVersion} (0: from now on): changes already made after it are replayed first from a bounded
   * history, in order; {@link ApiException} 410 Expired when the history no longer reaches back that far. Listeners
   * are called on the thread that made the change, after the change, in resourceVersion order, and must not block.
   */
  public Watch watch(ResourceType type, String namespace, long fromResourceVersion, Consumer<WatchEvent> listener) {
    Objects.requireNonNull(listener, "listener");
    Watcher watcher = new Watcher(type, namespace, listener);
    synchronized (lock) {
      if (fromResourceVersion > 0) {
        if (fromResourceVersion < historyFloor) {
          throw new ApiException(410, "Expired",
              "too old resource version: " + fromResourceVersion + " (" + historyFloor + ")");
        }
        for (HistoryEntry entry : history) {
          if (entry.resourceVersion() > fromResourceVersion && watcher.matches(entry.type(), entry.namespace())) {
            watcher.pending.add(new WatchEvent(entry.eventType(), (ObjectNode) ApiJson.read(entry.object())));
          }
        }
      }
      watchers.computeIfAbsent(type, t -> new ArrayList<>(2)).add(watcher);
    }
    watcher.drain();
    return watcher;
  }

  // --- changes, all called holding the lock ---

  /** Stores a new object made from {@code object}; 409 when one of its name exists. */
  private ObjectNode insert(ResourceType type, ObjectNode object) {
    ObjectNode created = object.deepCopy();
    ObjectNode metadata = metadataOf(created);
    String namespace = namespaceFor(type, metadata.path("namespace").asText(""));
    if (type.namespaced()) {
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    String name = metadata.path("name").asText("");
    TreeMap<Key, ObjectNode> ofType = objects.get(type);
    if (name.isEmpty()) {
      String generateName = metadata.path("generateName").asText("");
      if (generateName.isEmpty()) {
        throw new ApiException(422, "Invalid", type.kind() + " is invalid: metadata.name: Required value: name or "
            + "generateName is required");
      }
      do {
        name = generateName + randomSuffix();
      } while (ofType != null && ofType.containsKey(new Key(namespace, name)));
      metadata.put("name", name);
    }
    Key key = new Key(namespace, name);
    if (ofType != null && ofType.containsKey(key)) throw ApiException.alreadyExists(type, name);
    created.put("apiVersion", type.apiVersion());
    created.put("kind", type.kind());
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", now());
    metadata.put("resourceVersion", Long.toString(++resourceVersion));
    metadata.put("generation", 1);
    metadata.remove("deletionTimestamp");
    metadata.remove("deletionGracePeriodSeconds");
    objects.computeIfAbsent(type, t -> new TreeMap<>(Key.ORDER)).put(key, created);
    return created;
  }

  /**
   * Stores {@code given} in place of {@code existing}: the server-owned metadata kept, generation bumped when more
   * than metadata and status changed, nothing recorded when nothing changed, the object removed when it is being
   * deleted and has no finalizer left. Returns what is (or was last) stored.
   */
  private ObjectNode replace(ResourceType type, Key key, ObjectNode existing, ObjectNode given,
      List<Watcher> toDeliver) {
    ObjectNode updated = given.deepCopy();
    ObjectNode metadata = metadataOf(updated);
    ObjectNode existingMetadata = metadataOf(existing);
    updated.put("apiVersion", type.apiVersion());
    updated.put("kind", type.kind());
    metadata.put("name", key.name());
    if (type.namespaced()) {
      metadata.put("namespace", key.namespace());
    } else {
      metadata.remove("namespace");
    }
    for (String serverOwned : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "generation")) {
      if (existingMetadata.has(serverOwned)) {
        metadata.set(serverOwned, existingMetadata.get(serverOwned).deepCopy());
      } else {
        metadata.remove(serverOwned);
      }
    }
    if (existingMetadata.hasNonNull("deletionTimestamp")) {
      Set<String> before = finalizers(existing);
      for (String finalizer : finalizers(updated)) {
        if (!before.contains(finalizer)) {
          throw new ApiException(422, "Forbidden", type.kind() + " \"" + key.name() + "\" is invalid: "
              + "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted");
        }
      }
    }
    metadata.put("resourceVersion", versionOf(existing));
    if (updated.equals(existing)) return existing;
    if (!withoutMetadataAndStatus(updated).equals(withoutMetadataAndStatus(existing))) {
      metadata.put("generation", existingMetadata.path("generation").asLong(0) + 1);
    }
    metadata.put("resourceVersion", Long.toString(++resourceVersion));
    if (metadata.hasNonNull("deletionTimestamp") && !hasFinalizers(updated)) {
      objects.get(type).put(key, updated);
      // the object goes in the same change that removed its last finalizer, as the API server's delete does
      return remove(type, key, updated, toDeliver, false);
    }
    objects.get(type).put(key, updated);
    toDeliver.addAll(record(type, EventType.MODIFIED, updated));
    return updated;
  }

  private ObjectNode remove(ResourceType type, Key key, ObjectNode existing, List<Watcher> toDeliver) {
    return remove(type, key, existing, toDeliver, true);
  }

  private ObjectNode remove(ResourceType type, Key key, ObjectNode existing, List<Watcher> toDeliver,
      boolean newVersion) {
    TreeMap<Key, ObjectNode> ofType = objects.get(type);
    ofType.remove(key);
    if (ofType.isEmpty()) objects.remove(type);
    ObjectNode last = existing.deepCopy();
    // the DELETED event carries the deletion's resourceVersion, so watchers can resume after it
    if (newVersion) metadataOf(last).put("resourceVersion", Long.toString(++resourceVersion));
    toDeliver.addAll(record(type, EventType.DELETED, last));
    return last;
  }

  /** Remembers an event and queues it for the watchers it concerns; returns those watchers. */
  private List<Watcher> record(ResourceType type, EventType eventType, ObjectNode object) {
    String namespace = metadataOf(object).path("namespace").asText("");
    long version = Long.parseLong(versionOf(object));
    history.addLast(new HistoryEntry(version, type, namespace, eventType, ApiJson.bytes(object)));
    while (history.size() > historyLimit) {
      historyFloor = history.removeFirst().resourceVersion();
    }
    List<Watcher> ofType = watchers.get(type);
    if (ofType == null) return List.of();
    List<Watcher> concerned = new ArrayList<>(ofType.size());
    for (Watcher watcher : ofType) {
      if (!watcher.matches(type, namespace)) continue;
      watcher.pending.add(new WatchEvent(eventType, object.deepCopy()));
      concerned.add(watcher);
    }
    return concerned;
  }

  // --- helpers ---

  private static void deliver(List<Watcher> concerned) {
    for (Watcher watcher : concerned) watcher.drain();
  }

  private ObjectNode stored(ResourceType type, Key key) {
    TreeMap<Key, ObjectNode> ofType = objects.get(type);
    return ofType == null ? null : ofType.get(key);
  }

  private ObjectNode existingFor(ResourceType type, ObjectNode object) {
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) return null;
    return stored(type, key(type, metadata.path("namespace").asText(""), name));
  }

  private static Key key(ResourceType type, String namespace, String name) {
    return new Key(namespaceFor(type, namespace == null ? "" : namespace), name == null ? "" : name);
  }

  /** The namespace an object of {@code type} is stored under: required for namespaced types, "" otherwise. */
  private static String namespaceFor(ResourceType type, String namespace) {
    if (!type.namespaced()) return "";
    if (namespace == null || namespace.isEmpty()) {
      throw ApiException.badRequest("an empty namespace may not be set when a resource name is provided: "
          + type.plural() + " are namespaced");
    }
    return namespace;
  }

  /** 409 when {@code given} names a resourceVersion other than the stored one. */
  private static void requireCurrent(ResourceType type, ObjectNode existing, ObjectNode given) {
    JsonNode version = given.path("metadata").path("resourceVersion");
    if (version.isMissingNode() || version.isNull() || version.asText().isEmpty()) return;
    if (!version.asText().equals(versionOf(existing))) {
      throw ApiException.conflict(type, existing.path("metadata").path("name").asText());
    }
  }

  /** Keeps what a patch may not change: uid (restored), name and namespace (400 when changed). */
  private static void keepIdentity(ResourceType type, Key key, ObjectNode patched, ObjectNode existing) {
    ObjectNode metadata = metadataOf(patched);
    String name = metadata.path("name").asText("");
    if (!name.isEmpty() && !name.equals(key.name())) {
      throw ApiException.badRequest(
          "the name of the object (" + name + ") does not match the name on the URL (" + key.name() + ")");
    }
    String namespace = metadata.path("namespace").asText("");
    if (type.namespaced() && !namespace.isEmpty() && !namespace.equals(key.namespace())) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the "
          + "request");
    }
    metadata.put("name", key.name());
    if (type.namespaced()) metadata.put("namespace", key.namespace());
    if (existing != null) metadata.set("uid", existing.path("metadata").path("uid").deepCopy());
  }

  private static ObjectNode metadataOf(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata instanceof ObjectNode node) return node;
    if (metadata != null && !metadata.isNull()) throw ApiException.badRequest("metadata must be a JSON object");
    return object.putObject("metadata");
  }

  private static String versionOf(ObjectNode object) {
    return object.path("metadata").path("resourceVersion").asText("");
  }

  private static boolean hasFinalizers(ObjectNode object) {
    JsonNode finalizers = object.path("metadata").path("finalizers");
    return finalizers.isArray() && !finalizers.isEmpty();
  }

  private static Set<String> finalizers(ObjectNode object) {
    Set<String> names = new HashSet<>();
    JsonNode finalizers = object.path("metadata").path("finalizers");
    if (finalizers instanceof ArrayNode array) array.forEach(f -> names.add(f.asText()));
    return names;
  }

  private static ObjectNode withoutMetadataAndStatus(ObjectNode object) {
    ObjectNode rest = object.deepCopy();
    rest.remove("metadata");
    rest.remove("status");
    return rest;
  }

  private static String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /** Five characters as the API server appends to a generateName (its alphabet has no vowels and no look-alikes). */
  private static String randomSuffix() {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) suffix.append(NAME_SUFFIX_ALPHABET.charAt(RANDOM.nextInt(NAME_SUFFIX_ALPHABET.length())));
    return suffix.toString();
  }

  /**
   * One watch: its pending events (queued under the store lock, so in order) and a flag that lets one thread at a
   * time deliver them, so listener calls never overlap and never happen under the store lock.
   */
  private final class Watcher implements Watch {
    private final ResourceType type;
    private final String namespace;
    private final Consumer<WatchEvent> listener;
    private final ConcurrentLinkedQueue<WatchEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private volatile boolean closed;

    Watcher(ResourceType type, String namespace, Consumer<WatchEvent> listener) {
      this.type = type;
      this.namespace = namespace;
      this.listener = listener;
    }

    boolean matches(ResourceType eventType, String eventNamespace) {
      return type.equals(eventType) && (namespace == null || namespace.equals(eventNamespace));
    }

    void drain() {
      // re-checked after letting go of the flag: an event queued meanwhile by a thread that saw us busy is ours
      while (!pending.isEmpty() && !closed) {
        if (!delivering.compareAndSet(false, true)) return;
        try {
          WatchEvent event;
          while (!closed && (event = pending.poll()) != null) {
            try {
              listener.accept(event);
            } catch (RuntimeException e) {
              LOG.warn("A watch listener for {} failed", type.plural(), e);
            }
          }
        } finally {
          delivering.set(false);
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      synchronized (lock) {
        List<Watcher> ofType = watchers.get(type);
        if (ofType != null) {
          ofType.remove(this);
          if (ofType.isEmpty()) watchers.remove(type);
        }
      }
      pending.clear();
    }
  }
}
