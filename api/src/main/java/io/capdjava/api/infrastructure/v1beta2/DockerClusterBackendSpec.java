package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A DevCluster's docker backend: what a {@link DockerClusterSpec} holds besides the endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerClusterBackendSpec {
  /** Failure domains the controller copies verbatim to the status (they mean nothing in local Docker). */
  @ListType(value = "map", mapKeys = "name")
  @Size(min = 1, max = 100)
  @ValidationRule(
      value = "self.all(i, fd, i == 0 || self[i - 1].name < fd.name)",
      message = "spec.backend.docker.failureDomains must be sorted by name")
  public List<FailureDomain> failureDomains;

  public DockerLoadBalancer loadBalancer;
}
