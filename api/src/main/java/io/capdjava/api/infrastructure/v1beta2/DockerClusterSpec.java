package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired state of a DockerCluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerClusterSpec {
  /** Set by the controller to the load balancer's address. */
  // webhook-only: upstream's defaulting webhook sets port to 6443 when it is 0 (also when the endpoint is absent).
  @MinProperties(1)
  public APIEndpoint controlPlaneEndpoint;

  /** Failure domains the controller copies verbatim to the status (they mean nothing in local Docker). */
  // webhook-only: upstream's defaulting webhook sets a missing controlPlane of each item to false.
  @ListType(value = "map", mapKeys = "name")
  @Size(min = 1, max = 100)
  @ValidationRule(
      value = "self.all(i, fd, i == 0 || self[i - 1].name < fd.name)",
      message = "spec.failureDomains must be sorted by name")
  public List<FailureDomain> failureDomains;

  public DockerLoadBalancer loadBalancer;
}
