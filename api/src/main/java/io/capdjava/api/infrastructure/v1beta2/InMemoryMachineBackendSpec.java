package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Upstream's in-memory machine: how long each simulated part takes to come up. Served as upstream's schema so its
 * manifests apply; this provider does not run the backend (the DevMachine reports so).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InMemoryMachineBackendSpec {
  public InMemoryProvisioning vm;
  public InMemoryProvisioning node;
  public InMemoryProvisioning apiServer;
  public InMemoryProvisioning etcd;
}
