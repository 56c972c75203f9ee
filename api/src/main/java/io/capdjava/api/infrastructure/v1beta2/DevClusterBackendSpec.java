package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Which backend provides the cluster's infrastructure; one member is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevClusterBackendSpec {
  public DockerClusterBackendSpec docker;

  /** Upstream's simulated infrastructure; not served by this provider (the DevCluster reports so). */
  public InMemoryClusterBackendSpec inMemory;
}
