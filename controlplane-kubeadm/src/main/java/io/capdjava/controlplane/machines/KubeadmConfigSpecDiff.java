package io.capdjava.controlplane.machines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whether a Machine's KubeadmConfig spec still matches what KCP would create now (upstream
 * {@code matchesKubeadmConfig} and {@code PrepareKubeadmConfigsForDiff}). Before comparing: an init config is compared
 * as a join config (init fields moved to join), {@code controlPlaneEndpoint}, {@code dns},
 * {@code joinConfiguration.discovery} and the control plane health check timeout are ignored, old defaults are
 * applied ({@code format: cloud-config}, {@code imagePullPolicy: IfNotPresent}, exec {@code apiVersion}), and empty
 * lists, maps and objects count as unset, except {@code nodeRegistration.taints} where an empty list means "no
 * taints". If an init config still differs, it is compared against the desired init config too.
 */
public final class KubeadmConfigSpecDiff {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private KubeadmConfigSpecDiff() {}

  /**
   * The outcome: {@code paths} lists the fields that differ (never their values: the spec can hold bootstrap
   * tokens).
   */
  public record Result(boolean matches, List<String> paths) {}

  public static Result compare(KubeadmConfigSpec current, KubeadmConfigSpec desiredJoin, KubeadmConfigSpec desiredInit) {
    ObjectNode currentNode = tree(current);
    Result asJoin = diff(prepare(tree(desiredJoin), currentNode, true));
    if (asJoin.matches() || !isInit(currentNode)) return asJoin;
    return diff(prepare(tree(desiredInit), currentNode, false));
  }

  /** A KubeadmConfig made for a join has {@code joinConfiguration.controlPlane} (or, from CAPI ≤ 1.11, kubelet args). */
  public static boolean isJoin(KubeadmConfigSpec spec) {
    return !isInit(tree(spec));
  }

  private static boolean isInit(ObjectNode spec) {
    JsonNode join = spec.path("joinConfiguration");
    boolean hasControlPlane = join.has("controlPlane") && !join.get("controlPlane").isNull();
    JsonNode kubeletArgs = join.path("nodeRegistration").path("kubeletExtraArgs");
    return !hasControlPlane && !(kubeletArgs.isArray() && !kubeletArgs.isEmpty());
  }

  private record Pair(ObjectNode desired, ObjectNode current) {}

  private static Pair prepare(ObjectNode desired, ObjectNode currentOriginal, boolean convertInitToJoin) {
    ObjectNode current = currentOriginal.deepCopy();
    if (convertInitToJoin && isInit(current)) {
      ObjectNode init = current.has("initConfiguration") && current.get("initConfiguration").isObject()
          ? (ObjectNode) current.get("initConfiguration") : JSON.objectNode();
      ObjectNode join = object(current, "joinConfiguration");
      copyOrRemove(init, join, "timeouts");
      copyOrRemove(init, join, "patches");
      copyOrRemove(init, join, "skipPhases");
      copyOrRemove(init, join, "nodeRegistration");
      ObjectNode controlPlane = JSON.objectNode();
      if (init.has("localAPIEndpoint")) controlPlane.set("localAPIEndpoint", init.get("localAPIEndpoint"));
      join.set("controlPlane", controlPlane);
      current.remove("initConfiguration");
      // caCertPath only exists for joins; it must never roll out a Machine made by kubeadm init
      copyOrRemove(desired.path("joinConfiguration") instanceof ObjectNode d ? d : JSON.objectNode(), join,
          "caCertPath");
    }
    if (!isInit(current)) {
      ObjectNode join = object(current, "joinConfiguration");
      if (!join.has("controlPlane") || join.get("controlPlane").isNull()) join.set("controlPlane", JSON.objectNode());
    }
    ObjectNode desiredCluster = desired.path("clusterConfiguration") instanceof ObjectNode d ? d : JSON.objectNode();
    ObjectNode currentCluster = object(current, "clusterConfiguration");
    copyOrRemove(desiredCluster, currentCluster, "controlPlaneEndpoint");
    copyOrRemove(desiredCluster, currentCluster, "dns");

    for (ObjectNode spec : List.of(desired, current)) {
      applyPreviousDefaults(spec);
      if (spec.path("joinConfiguration") instanceof ObjectNode join) join.remove("discovery");
      for (String configuration : List.of("initConfiguration", "joinConfiguration")) {
        if (spec.path(configuration).path("timeouts") instanceof ObjectNode timeouts) {
          timeouts.remove("controlPlaneComponentHealthCheckSeconds");
        }
      }
      prune(spec, "");
    }
    return new Pair(desired, current);
  }

  /** Upstream {@code ApplyPreviousKubeadmConfigDefaults}. */
  private static void applyPreviousDefaults(ObjectNode spec) {
    if (!spec.hasNonNull("format") || spec.get("format").asText().isEmpty()) spec.put("format", "cloud-config");
    for (String configuration : List.of("initConfiguration", "joinConfiguration")) {
      ObjectNode nodeRegistration = object(object(spec, configuration), "nodeRegistration");
      if (!nodeRegistration.hasNonNull("imagePullPolicy") || nodeRegistration.get("imagePullPolicy").asText().isEmpty()) {
        nodeRegistration.put("imagePullPolicy", "IfNotPresent");
      }
    }
    JsonNode exec = spec.path("joinConfiguration").path("discovery").path("file").path("kubeConfig")
        .path("user").path("exec");
    if (exec instanceof ObjectNode e && !e.isEmpty() && (!e.hasNonNull("apiVersion") || e.get("apiVersion").asText().isEmpty())) {
      e.put("apiVersion", "client.authentication.k8s.io/v1");
    }
  }

  /** Drops nulls and empty lists, maps and objects (what renders the same), keeping empty {@code taints}. */
  private static boolean prune(JsonNode node, String name) {
    if (node == null || node.isNull()) return true;
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (prune(field.getValue(), field.getKey())) fields.remove();
      }
      return object.isEmpty();
    }
    if (node instanceof ArrayNode array) {
      for (JsonNode element : array) prune(element, "");
      return array.isEmpty() && !name.equals("taints");
    }
    return false;
  }

  private static Result diff(Pair pair) {
    TreeSet<String> paths = new TreeSet<>();
    collect(pair.desired(), pair.current(), "", paths);
    return new Result(paths.isEmpty(), new ArrayList<>(paths));
  }

  private static void collect(JsonNode desired, JsonNode current, String path, TreeSet<String> paths) {
    if (desired instanceof ObjectNode d && current instanceof ObjectNode c) {
      TreeSet<String> names = new TreeSet<>();
      d.fieldNames().forEachRemaining(names::add);
      c.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        collect(d.get(name), c.get(name), path.isEmpty() ? name : path + "." + name, paths);
      }
      return;
    }
    if (desired == null ? current != null : !desired.equals(current)) paths.add(path);
  }

  private static ObjectNode tree(KubeadmConfigSpec spec) {
    JsonNode node = Serialization.jsonMapper().valueToTree(spec == null ? new KubeadmConfigSpec() : spec);
    return node instanceof ObjectNode o ? o : JSON.objectNode();
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode o) return o;
    ObjectNode created = JSON.objectNode();
    parent.set(field, created);
    return created;
  }

  private static void copyOrRemove(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) to.set(field, from.get(field).deepCopy());
    else to.remove(field);
  }
}
