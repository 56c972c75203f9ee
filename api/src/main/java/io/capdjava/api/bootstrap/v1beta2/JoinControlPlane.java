package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;

/** Marks a join as a control plane join, with the endpoint of the API server deployed on the joining node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JoinControlPlane {
  @MinProperties(1)
  public APIEndpoint localAPIEndpoint;
}
