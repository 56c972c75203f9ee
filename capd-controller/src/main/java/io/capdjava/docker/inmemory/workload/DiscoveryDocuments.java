package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The discovery documents of the simulated API server, in the plain (unaggregated) format every client understands:
 * {@code /api} (APIVersions), {@code /api/v1} and {@code /apis/{group}/{version}} (APIResourceList), {@code /apis}
 * (APIGroupList), {@code /apis/{group}} (APIGroup) and {@code /version}. Built from {@link ResourceTypes#ALL}, with
 * the subresources CAPI and kubectl use (status, pods/eviction, pods/portforward, namespaces/finalize).
 */
public final class DiscoveryDocuments {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern MAJOR_MINOR = Pattern.compile("^v?(\\d+)\\.(\\d+)");

  /** A subresource as discovery lists it after its resource. */
  private record Subresource(String name, String kind, String group, String version, List<String> verbs) {}

  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  /** Per plural, the subresources served (those with a null kind are of the parent's kind). */
  private static final Map<String, List<Subresource>> SUBRESOURCES = Map.of(
      "pods", List.of(
          new Subresource("eviction", "Eviction", "policy", "v1", List.of("create")),
          new Subresource("portforward", "PodPortForwardOptions", null, null, List.of("create", "get")),
          new Subresource("status", null, null, null, STATUS_VERBS)),
      "nodes", List.of(new Subresource("status", null, null, null, STATUS_VERBS)),
      "namespaces", List.of(
          new Subresource("finalize", null, null, null, List.of("update")),
          new Subresource("status", null, null, null, STATUS_VERBS)),
      "services", List.of(new Subresource("status", null, null, null, STATUS_VERBS)),
      "deployments", List.of(new Subresource("status", null, null, null, STATUS_VERBS)),
      "daemonsets", List.of(new Subresource("status", null, null, null, STATUS_VERBS)),
      "volumeattachments", List.of(new Subresource("status", null, null, null, STATUS_VERBS)),
      "poddisruptionbudgets", List.of(new Subresource("status", null, null, null, STATUS_VERBS)),
      "customresourcedefinitions", List.of(new Subresource("status", null, null, null, STATUS_VERBS)));

  private DiscoveryDocuments() {}

  /** Whether {@code plural} has subresource {@code subresource} (as served by the request handling). */
  public static boolean hasSubresource(ResourceType type, String subresource) {
    return SUBRESOURCES.getOrDefault(type.plural(), List.of()).stream().anyMatch(s -> s.name().equals(subresource));
  }

  /** {@code /api}: the core group's versions. */
  public static ObjectNode apiVersions() {
    ObjectNode versions = NODES.objectNode();
    versions.put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    ObjectNode address = versions.putArray("serverAddressByClientCIDRs").addObject();
    address.put("clientCIDR", "0.0.0.0/0");
    address.put("serverAddress", "");
    return versions;
  }

  /** {@code /apis}: every non-core group served, each with its one version, preferred. */
  public static ObjectNode apiGroupList() {
    ObjectNode list = NODES.objectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (String group : groups()) {
      groups.add(groupBody(group));
    }
    return list;
  }

  /** {@code /apis/{group}}: the group, when served. */
  public static Optional<ObjectNode> apiGroup(String group) {
    if (group.isEmpty() || !groups().contains(group)) return Optional.empty();
    ObjectNode body = groupBody(group);
    body.put("kind", "APIGroup");
    body.put("apiVersion", "v1");
    return Optional.of(body);
  }

  /** {@code /api/v1} (group "") or {@code /apis/{group}/{version}}: the resources served there, when any. */
  public static Optional<ObjectNode> apiResourceList(String group, String version) {
    List<ResourceType> types = ResourceTypes.ALL.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
    if (types.isEmpty()) return Optional.empty();
    ObjectNode list = NODES.objectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType type : types) {
      ObjectNode resource = resources.addObject();
      resource.put("name", type.plural());
      resource.put("singularName", type.singular());
      resource.put("namespaced", type.namespaced());
      resource.put("kind", type.kind());
      ArrayNode verbs = resource.putArray("verbs");
      type.verbs().forEach(verbs::add);
      if (!type.shortNames().isEmpty()) {
        ArrayNode shortNames = resource.putArray("shortNames");
        type.shortNames().forEach(shortNames::add);
      }
      for (Subresource subresource : SUBRESOURCES.getOrDefault(type.plural(), List.of())) {
        ObjectNode sub = resources.addObject();
        sub.put("name", type.plural() + "/" + subresource.name());
        sub.put("singularName", "");
        sub.put("namespaced", type.namespaced());
        if (subresource.group() != null) sub.put("group", subresource.group());
        if (subresource.version() != null) sub.put("version", subresource.version());
        sub.put("kind", subresource.kind() == null ? type.kind() : subresource.kind());
        ArrayNode subVerbs = sub.putArray("verbs");
        subresource.verbs().forEach(subVerbs::add);
      }
    }
    return Optional.of(list);
  }

  /** {@code /version} for a Kubernetes {@code gitVersion} such as {@code v1.34.4}. */
  public static ObjectNode version(String gitVersion) {
    Matcher matcher = MAJOR_MINOR.matcher(gitVersion == null ? "" : gitVersion);
    String major = matcher.find() ? matcher.group(1) : "";
    String minor = major.isEmpty() ? "" : matcher.group(2);
    ObjectNode version = NODES.objectNode();
    version.put("major", major);
    version.put("minor", minor);
    version.put("emulationMajor", major);
    version.put("emulationMinor", minor);
    version.put("gitVersion", gitVersion == null ? "" : gitVersion);
    version.put("gitCommit", "");
    version.put("gitTreeState", "clean");
    version.put("buildDate", "1970-01-01T00:00:00Z");
    version.put("goVersion", "go1.24");
    version.put("compiler", "gc");
    version.put("platform", "linux/amd64");
    return version;
  }

  private static Set<String> groups() {
    Set<String> groups = new LinkedHashSet<>();
    for (ResourceType type : ResourceTypes.ALL) {
      if (!type.group().isEmpty()) groups.add(type.group());
    }
    return groups;
  }

  private static ObjectNode groupBody(String group) {
    ObjectNode body = NODES.objectNode();
    body.put("name", group);
    ArrayNode versions = body.putArray("versions");
    String preferred = null;
    for (ResourceType type : ResourceTypes.ALL) {
      if (!type.group().equals(group)) continue;
      boolean listed = false;
      for (var listedVersion : versions) {
        if (listedVersion.path("version").asText().equals(type.version())) listed = true;
      }
      if (listed) continue;
      ObjectNode version = versions.addObject();
      version.put("groupVersion", type.apiVersion());
      version.put("version", type.version());
      if (preferred == null) preferred = type.version();
    }
    ObjectNode preferredVersion = body.putObject("preferredVersion");
    preferredVersion.put("groupVersion", group + "/" + preferred);
    preferredVersion.put("version", preferred);
    return body;
  }
}
