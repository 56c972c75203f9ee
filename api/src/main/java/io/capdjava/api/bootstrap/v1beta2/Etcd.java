package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;

/** Where the cluster's etcd runs: stacked on the control plane nodes (local) or outside (external). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Etcd {
  /** Mutually exclusive with external. */
  @MinProperties(1)
  public LocalEtcd local;

  /** Mutually exclusive with local. */
  public ExternalEtcd external;
}
