package io.capdjava.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Server-side apply as upstream's controllers use it ({@code ssa.Patch} with forced ownership): what a field manager
 * applies it owns, and a field it owned but no longer applies is removed, while fields other writers set stay. Also
 * the two edits of managedFields upstream's KubeadmControlPlane makes so that a second manager can own an object's
 * labels and annotations ({@code RemoveManagedFieldsForLabelsAndAnnotations}, {@code MigrateManagedFields}), and a
 * check that spares an apply that would change nothing.
 */
public final class ServerSideApply {
  private static final String APPLY = "Apply";
  private static final int CONFLICT_RETRIES = 3;
  /** What the API server leaves out of managedFields (its identity and server-set metadata). */
  private static final Set<String> UNRECORDED = Set.of("apiVersion", "kind", "metadata.name",
      "metadata.namespace", "metadata.uid", "metadata.generateName");

  private ServerSideApply() {}

  /** Applies {@code desired} (apiVersion, kind, metadata and the fields this manager owns) and returns the result. */
  public static GenericKubernetesResource apply(KubernetesClient client, HasMetadata desired, String manager) {
    return client.resource(asApplied(desired)).fieldManager(manager).forceConflicts().serverSideApply();
  }

  /** The object as an apply body: its JSON without status, resourceVersion, managedFields or nulls. */
  public static GenericKubernetesResource asApplied(HasMetadata object) {
    ObjectNode json = Serialization.jsonMapper().valueToTree(object);
    json.remove("status");
    JsonNode metadata = json.path("metadata");
    if (metadata instanceof ObjectNode meta) {
      meta.remove("resourceVersion");
      meta.remove("managedFields");
      meta.remove("creationTimestamp");
      meta.remove("generation");
      // none is none: an empty map would be recorded differently from the absent one an object read back shows
      for (String map : List.of("labels", "annotations")) if (meta.path(map).isEmpty()) meta.remove(map);
    }
    removeNulls(json);
    return Serialization.jsonMapper().convertValue(json, GenericKubernetesResource.class);
  }

  /**
   * Whether applying {@code desired} as {@code manager} would change {@code current}: a value it sets differs or is
   * missing, a field the manager owns (by an earlier apply) is no longer in {@code desired} and would be removed, or
   * a field it sets is not yet the manager's (the apply would take it over, and a later one could then remove it).
   * List items are matched by content, so this errs towards "would change" (an apply that changes nothing only costs a
   * request).
   */
  public static boolean wouldChange(HasMetadata current, HasMetadata desired, String manager) {
    JsonNode have = Serialization.jsonMapper().valueToTree(current);
    JsonNode want = Serialization.jsonMapper().valueToTree(asApplied(desired));
    JsonNode owned = ownedFields(current, manager);
    return !contains(have, want) || owned == null || !stillApplied(owned, want) || !ownsAll(owned, want, "");
  }

  /** The fields {@code manager} owns by apply on the main resource (not a subresource), or null if none. */
  public static JsonNode ownedFields(HasMetadata object, String manager) {
    ManagedFieldsEntry entry = applyEntry(object, manager);
    return entry == null || entry.getFieldsV1() == null
        ? null : Serialization.jsonMapper().valueToTree(entry.getFieldsV1());
  }

  /**
   * Gives up {@code manager}'s ownership of the object's labels and annotations (the values stay), so that another
   * manager's later applies decide them alone. Optimistically locked on the resourceVersion; retried on a conflict
   * with a fresh read.
   */
  public static void dropLabelsAndAnnotations(KubernetesClient client, HasMetadata object, String manager) {
    HasMetadata current = object;
    for (int attempt = 1; ; attempt++) {
      ManagedFieldsEntry entry = applyEntry(current, manager);
      if (entry == null || entry.getFieldsV1() == null) return;
      ObjectNode fields = Serialization.jsonMapper().valueToTree(entry.getFieldsV1());
      if (!(fields.get("f:metadata") instanceof ObjectNode metadata)) return;
      boolean ownedLabels = metadata.remove("f:labels") != null;
      boolean ownedAnnotations = metadata.remove("f:annotations") != null;
      if (!ownedLabels && !ownedAnnotations) return;
      try {
        patchManagedFields(client, current, managedFieldsWith(current, entry, fields));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == CONFLICT_RETRIES) throw e;
        current = client.resource(current).get();
        if (current == null) return;
      }
    }
  }

  /**
   * For objects whose labels and annotations {@code manager} applied together with the rest (before a second manager
   * took them over): drops that apply entry (the values stay, unowned) and gives {@code metadataManager} an entry
   * owning only the name, as upstream's {@code MigrateManagedFields} does, so that the next apply of either manager
   * starts from a clean split. Returns whether it changed anything.
   */
  public static boolean migrateLabelsAndAnnotations(KubernetesClient client, HasMetadata object, String manager,
      String metadataManager, String ownedLabel) {
    ManagedFieldsEntry entry = applyEntry(object, manager);
    if (entry == null || entry.getFieldsV1() == null) return false;
    JsonNode fields = Serialization.jsonMapper().valueToTree(entry.getFieldsV1());
    if (fields.path("f:metadata").path("f:labels").get("f:" + ownedLabel) == null) return false;
    List<Object> managedFields = managedFieldsWith(object, entry, null);
    Map<String, Object> metadataEntry = new LinkedHashMap<>();
    metadataEntry.put("manager", metadataManager);
    metadataEntry.put("operation", APPLY);
    metadataEntry.put("apiVersion", object.getApiVersion());
    metadataEntry.put("time", ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_INSTANT));
    metadataEntry.put("fieldsType", "FieldsV1");
    metadataEntry.put("fieldsV1", Map.of("f:metadata", Map.of("f:name", Map.of())));
    managedFields.add(metadataEntry);
    patchManagedFields(client, object, managedFields);
    return true;
  }

  /** The object's managedFields with {@code entry}'s fields replaced by {@code fields}, or without it if null. */
  private static List<Object> managedFieldsWith(HasMetadata object, ManagedFieldsEntry entry, JsonNode fields) {
    List<Object> managedFields = new ArrayList<>();
    for (ManagedFieldsEntry e : object.getMetadata().getManagedFields()) {
      if (e == entry && fields == null) continue;
      Map<String, Object> copy = Serialization.jsonMapper().convertValue(e, Map.class);
      if (e == entry) copy.put("fieldsV1", fields);
      managedFields.add(copy);
    }
    return managedFields;
  }

  private static void patchManagedFields(KubernetesClient client, HasMetadata object, List<Object> managedFields) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resourceVersion", object.getMetadata().getResourceVersion());
    metadata.put("managedFields", managedFields);
    client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE),
        Serialization.asJson(Map.of("metadata", metadata)));
  }

  private static ManagedFieldsEntry applyEntry(HasMetadata object, String manager) {
    if (object.getMetadata().getManagedFields() == null) return null;
    for (ManagedFieldsEntry entry : object.getMetadata().getManagedFields()) {
      if (manager.equals(entry.getManager()) && APPLY.equals(entry.getOperation())
          && (entry.getSubresource() == null || entry.getSubresource().isEmpty())) {
        return entry;
      }
    }
    return null;
  }

  /**
   * Every field {@code want} sets is owned (lists as a whole): else the apply would take ownership, which decides
   * whether a later apply without the field removes it. Fields managedFields never records are skipped.
   */
  static boolean ownsAll(JsonNode owned, JsonNode want, String path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (UNRECORDED.contains(fieldPath)) continue;
      JsonNode ownedField = owned.get("f:" + field.getKey());
      if (ownedField == null) return false;
      if (field.getValue().isObject() && !ownsAll(ownedField, field.getValue(), fieldPath)) return false;
    }
    return true;
  }

  /**
   * Every value {@code want} sets is in {@code have}: objects field by field, each list item found (as a subset: the
   * server may default fields of an item) in the list.
   */
  static boolean contains(JsonNode have, JsonNode want) {
    if (want == null || want.isNull()) return true;
    if (have == null || have.isNull() || have.isMissingNode()) return false;
    if (want.isObject()) {
      if (!have.isObject()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!contains(have.get(field.getKey()), field.getValue())) return false;
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray()) return false;
      for (JsonNode item : want) {
        boolean found = false;
        for (JsonNode candidate : have) {
          if (contains(candidate, item)) {
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    if (want.isNumber() && have.isNumber()) return want.decimalValue().compareTo(have.decimalValue()) == 0;
    return Objects.equals(want, have);
  }

  /**
   * Every field in {@code owned} (managedFields' FieldsV1: {@code f:<field>}, {@code k:<key json>} for list items by
   * key, {@code v:<value>} for set members, {@code i:<index>}, {@code .} for the node itself) is still in {@code want}.
   */
  static boolean stillApplied(JsonNode owned, JsonNode want) {
    for (Iterator<Map.Entry<String, JsonNode>> it = owned.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode child;
      if (key.equals(".")) {
        continue;
      } else if (key.startsWith("f:")) {
        child = want == null ? null : want.get(key.substring(2));
      } else if (key.startsWith("k:")) {
        child = itemByKey(want, Serialization.unmarshal(key.substring(2), JsonNode.class));
      } else if (key.startsWith("v:")) {
        JsonNode value = Serialization.unmarshal(key.substring(2), JsonNode.class);
        child = null;
        if (want != null && want.isArray()) for (JsonNode item : want) if (contains(item, value)) child = item;
      } else if (key.startsWith("i:")) {
        int index = Integer.parseInt(key.substring(2));
        child = want != null && want.isArray() && want.size() > index ? want.get(index) : null;
      } else {
        continue;
      }
      if (child == null || child.isNull()) return false;
      if (field.getValue().size() > 0 && child.isContainerNode() && !stillApplied(field.getValue(), child)) return false;
    }
    return true;
  }

  private static JsonNode itemByKey(JsonNode list, JsonNode key) {
    if (list == null || !list.isArray()) return null;
    for (JsonNode item : list) if (contains(item, key)) return item;
    return null;
  }

  private static void removeNulls(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        if (it.next().getValue().isNull()) it.remove();
      }
      object.forEach(ServerSideApply::removeNulls);
    } else if (node.isArray()) {
      node.forEach(ServerSideApply::removeNulls);
    }
  }
}
