package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** The desired state of a DevCluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevClusterSpec {
  /** Set by the controller to the load balancer's address (docker backend). */
  @MinProperties(1)
  public APIEndpoint controlPlaneEndpoint;

  @Required
  public DevClusterBackendSpec backend;
}
