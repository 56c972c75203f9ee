package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Upstream's in-memory cluster backend has no settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InMemoryClusterBackendSpec {}
