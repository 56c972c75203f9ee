package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.docker.inmemory.workload.ObjectStore.PatchFormat;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The patch formats of the simulated API server, applied to JSON objects: JSON patch (RFC 6902), JSON merge patch
 * (RFC 7386), a strategic merge patch reduced to what Go clients ({@code client.StrategicMergeFrom}, kubectl) send for
 * the built-in kinds served here, and server-side apply bodies taken as merge patches.
 *
 * <p>The strategic merge patch has no OpenAPI schema to go by, so which lists merge element-wise is decided by field
 * name, as the built-in Go types declare it ({@code patchStrategy:"merge"}): containers, env, volumes, ports,
 * conditions, addresses, ownerReferences, finalizers ... Lists of other fields are replaced, unless the patch itself
 * shows they are merged (a {@code $setElementOrder/<field>} directive or {@code "$patch"} elements), as the client
 * only writes those for merging lists.
 */
public final class Patches {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String DIRECTIVE = "$patch";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

  /** Lists of objects the built-in types merge by key, with the key (Go's {@code patchMergeKey}). */
  private static final Map<String, List<String>> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", List.of("name")),
      Map.entry("initContainers", List.of("name")),
      Map.entry("ephemeralContainers", List.of("name")),
      Map.entry("env", List.of("name")),
      Map.entry("volumes", List.of("name")),
      Map.entry("imagePullSecrets", List.of("name")),
      Map.entry("volumeMounts", List.of("mountPath")),
      Map.entry("volumeDevices", List.of("devicePath")),
      // container ports merge on containerPort, service ports on port
      Map.entry("ports", List.of("containerPort", "port", "name")),
      Map.entry("conditions", List.of("type")),
      // NodeAddress merges on type, as in Go (two addresses of one type collapse there too)
      Map.entry("addresses", List.of("type", "address", "ip")),
      Map.entry("ownerReferences", List.of("uid")),
      Map.entry("hostAliases", List.of("ip")));

  /** Lists of objects that Go replaces, but whose key is known for when a patch carries merge directives. */
  private static final Map<String, List<String>> DIRECTIVE_ONLY_MERGE_KEYS = Map.of(
      "taints", List.of("key"),
      "tolerations", List.of("key"));

  /** Lists of strings the built-in types merge as sets. */
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

  /** What a merge key is guessed to be for a list the patch shows merged but no table knows. */
  private static final List<String> GUESSED_MERGE_KEYS = List.of("name", "key", "type", "uid", "port", "ip");

  private Patches() {}

  /**
   * Applies a patch body of {@code format} to {@code target} (unchanged) and returns the patched object;
   * {@link ApiException} 400 when the body does not parse, 422 when a JSON patch operation fails.
   */
  public static ObjectNode apply(ObjectNode target, PatchFormat format, String body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    JsonNode patch = ApiJson.parse(bytes, format == PatchFormat.APPLY_PATCH);
    JsonNode result = switch (format) {
      case JSON_PATCH -> jsonPatch(target, patch);
      case MERGE_PATCH, APPLY_PATCH -> {
        requireObject(patch);
        yield mergePatch(target, patch);
      }
      case STRATEGIC_MERGE_PATCH -> {
        requireObject(patch);
        yield strategicMergePatch(target, patch);
      }
    };
    if (!result.isObject()) throw new ApiException(422, "Invalid", "the patched object is not a JSON object");
    return (ObjectNode) result;
  }

  /** The {@code metadata.resourceVersion} a patch body asks to be the current one (optimistic lock), if any. */
  public static String resourceVersionOf(PatchFormat format, String body) {
    if (format == PatchFormat.JSON_PATCH) return null;
    JsonNode patch = ApiJson.parse(body.getBytes(StandardCharsets.UTF_8), format == PatchFormat.APPLY_PATCH);
    JsonNode rv = patch.path("metadata").path("resourceVersion");
    return rv.isValueNode() && !rv.isNull() && !rv.asText().isEmpty() ? rv.asText() : null;
  }

  /** RFC 6902 JSON patch, applied with zjsonpatch; a failing operation ({@code test} included) is 422 Invalid. */
  public static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) throw ApiException.badRequest("a JSON patch must be a JSON array of operations");
    try {
      // RFC 6902 (and kube-apiserver) refuse to remove what is not there; zjsonpatch's default tolerates it
      return JsonPatch.apply(patch, target, EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT));
    } catch (RuntimeException e) {
      throw new ApiException(422, "Invalid", "the JSON patch could not be applied: " + e.getMessage());
    }
  }

  /** RFC 7386 JSON merge patch: objects merge recursively, null removes, anything else (lists too) replaces. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) return patch.deepCopy();
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  /**
   * Strategic merge patch as Go clients write it: maps merge recursively and null removes a field; lists merge or
   * are replaced (see the class comment); {@code "$patch": "delete"} removes a map or a list element,
   * {@code "$patch": "replace"} replaces; {@code $setElementOrder/<field>} orders a merged list,
   * {@code $deleteFromPrimitiveList/<field>} removes strings; {@code $retainKeys} and other directives are dropped.
   */
  public static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) return patch.deepCopy();
    ObjectNode merged = mergeMap(target != null && target.isObject() ? (ObjectNode) target : null, (ObjectNode) patch);
    return merged == null ? NODES.objectNode() : merged;
  }

  /** The merged map, or null when the patch deletes it. */
  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch) {
    String directive = patch.path(DIRECTIVE).asText("");
    if (directive.equals("delete")) return null;
    if (directive.equals("replace")) {
      ObjectNode replacement = patch.deepCopy();
      replacement.remove(DIRECTIVE);
      return mergeMap(null, replacement);
    }
    ObjectNode result = original != null ? original.deepCopy() : NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (!field.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
      String name = field.getKey().substring(DELETE_FROM_PRIMITIVE_LIST.length());
      JsonNode list = result.get(name);
      if (list instanceof ArrayNode array && field.getValue().isArray()) {
        ArrayNode kept = NODES.arrayNode();
        for (JsonNode element : array) {
          if (!contains(field.getValue(), element)) kept.add(element);
        }
        result.set(name, kept);
      }
    }
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.startsWith("$")) continue;
      if (value.isNull()) {
        result.remove(name);
      } else if (value.isObject()) {
        JsonNode current = result.get(name);
        ObjectNode merged = mergeMap(current instanceof ObjectNode object ? object : null, (ObjectNode) value);
        if (merged == null) {
          result.remove(name);
        } else {
          result.set(name, merged);
        }
      } else if (value.isArray()) {
        JsonNode current = result.get(name);
        result.set(name, mergeList(name, current instanceof ArrayNode array ? array : null, (ArrayNode) value,
            patch.get(SET_ELEMENT_ORDER + name)));
      } else {
        result.set(name, value.deepCopy());
      }
    }
    // an order alone (the list's elements unchanged or only deleted by primitive directive) still orders the list
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (!field.getKey().startsWith(SET_ELEMENT_ORDER) || !field.getValue().isArray()) continue;
      String name = field.getKey().substring(SET_ELEMENT_ORDER.length());
      if (patch.has(name)) continue;
      if (result.get(name) instanceof ArrayNode array) {
        String key = mergeKey(name, field.getValue(), array);
        result.set(name, ordered(array, (ArrayNode) field.getValue(), key));
      }
    }
    return result;
  }

  private static ArrayNode mergeList(String field, ArrayNode original, ArrayNode patch, JsonNode order) {
    ArrayNode setOrder = order instanceof ArrayNode array ? array : null;
    // {"$patch": "replace"} as an element: the other elements are the list
    for (JsonNode element : patch) {
      if (element.isObject() && element.path(DIRECTIVE).asText("").equals("replace")) {
        ArrayNode replacement = NODES.arrayNode();
        for (JsonNode other : patch) {
          if (other != element) replacement.add(stripped(other));
        }
        return replacement;
      }
    }
    boolean objects = patch.size() > 0 && allObjects(patch);
    if (objects) {
      boolean directives = setOrder != null || anyDirective(patch);
      String key = directives || MERGE_KEYS.containsKey(field)
          ? mergeKey(field, patch, original == null ? NODES.arrayNode() : original)
          : null;
      if (key == null) return replaced(patch);
      List<JsonNode> result = new ArrayList<>();
      if (original != null) original.forEach(result::add);
      for (JsonNode element : patch) {
        JsonNode keyValue = element.get(key);
        int index = keyValue == null ? -1 : indexOf(result, key, keyValue);
        if (element.path(DIRECTIVE).asText("").equals("delete")) {
          if (index >= 0) result.remove(index);
          continue;
        }
        ObjectNode merged = mergeMap(index >= 0 && result.get(index) instanceof ObjectNode object ? object : null,
            (ObjectNode) element);
        if (merged == null) {
          if (index >= 0) result.remove(index);
        } else if (index >= 0) {
          result.set(index, merged);
        } else {
          result.add(merged);
        }
      }
      ArrayNode merged = NODES.arrayNode().addAll(result);
      return setOrder == null ? merged : ordered(merged, setOrder, key);
    }
    if (MERGED_PRIMITIVE_LISTS.contains(field) || setOrder != null) {
      ArrayNode merged = original == null ? NODES.arrayNode() : original.deepCopy();
      for (JsonNode element : patch) {
        if (!contains(merged, element)) merged.add(element.deepCopy());
      }
      return setOrder == null ? merged : ordered(merged, setOrder, null);
    }
    return replaced(patch);
  }

  /** The merge key of a list: the table's for known fields, else the first usual key every element carries. */
  private static String mergeKey(String field, JsonNode patchElements, JsonNode originalElements) {
    List<String> candidates = MERGE_KEYS.getOrDefault(field,
        DIRECTIVE_ONLY_MERGE_KEYS.getOrDefault(field, GUESSED_MERGE_KEYS));
    for (String candidate : candidates) {
      if (allCarry(patchElements, candidate) && allCarry(originalElements, candidate)) return candidate;
    }
    for (String candidate : candidates) {
      if (allCarry(patchElements, candidate)) return candidate;
    }
    return null;
  }

  private static boolean allCarry(JsonNode elements, String key) {
    for (JsonNode element : elements) {
      if (!element.isObject()) return false;
      if (!element.has(key)) return false;
    }
    return true;
  }

  /** The list in the order {@code order} names (by key, or by value for strings), the rest after in their order. */
  private static ArrayNode ordered(ArrayNode list, ArrayNode order, String key) {
    List<JsonNode> remaining = new ArrayList<>();
    list.forEach(remaining::add);
    ArrayNode result = NODES.arrayNode();
    for (JsonNode wanted : order) {
      JsonNode wantedKey = key == null ? wanted : wanted.get(key);
      if (wantedKey == null) continue;
      for (Iterator<JsonNode> it = remaining.iterator(); it.hasNext(); ) {
        JsonNode element = it.next();
        JsonNode elementKey = key == null ? element : element.get(key);
        if (wantedKey.equals(elementKey)) {
          result.add(element);
          it.remove();
          break;
        }
      }
    }
    remaining.forEach(result::add);
    return result;
  }

  private static ArrayNode replaced(ArrayNode patch) {
    ArrayNode result = NODES.arrayNode();
    for (JsonNode element : patch) result.add(stripped(element));
    return result;
  }

  /** An element without directives and null fields, as a patch element added whole is stored. */
  private static JsonNode stripped(JsonNode element) {
    if (element instanceof ObjectNode object) {
      ObjectNode withoutDirectives = object.deepCopy();
      withoutDirectives.remove(DIRECTIVE);
      ObjectNode merged = mergeMap(null, withoutDirectives);
      return merged == null ? NODES.objectNode() : merged;
    }
    return element.deepCopy();
  }

  private static int indexOf(List<JsonNode> elements, String key, JsonNode value) {
    for (int i = 0; i < elements.size(); i++) {
      if (value.equals(elements.get(i).get(key))) return i;
    }
    return -1;
  }

  private static boolean allObjects(ArrayNode elements) {
    for (JsonNode element : elements) {
      if (!element.isObject()) return false;
    }
    return true;
  }

  private static boolean anyDirective(ArrayNode elements) {
    for (JsonNode element : elements) {
      if (element.has(DIRECTIVE)) return true;
    }
    return false;
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode element : array) {
      if (element.equals(value)) return true;
    }
    return false;
  }

  private static void requireObject(JsonNode patch) {
    if (!patch.isObject()) throw ApiException.badRequest("a merge patch must be a JSON object");
  }
}
