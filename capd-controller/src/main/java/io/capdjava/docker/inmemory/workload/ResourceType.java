package io.capdjava.docker.inmemory.workload;

import java.util.List;

/**
 * One kind of object a simulated workload cluster serves, as discovery names it: {@code group} is empty for the core
 * group, {@code plural} is the path segment, {@code verbs} what discovery advertises.
 */
public record ResourceType(String group, String version, String plural, String singular, String kind,
    boolean namespaced, List<String> shortNames, List<String> verbs) {

  /** {@code v1} for the core group, else {@code group/version}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
