package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The observed state of a DevCluster, and of a DockerCluster (upstream's types are field-for-field equal, so one class,
 * and one reconciler, serves both kinds); initialization and failureDomains are what CAPI core reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevClusterStatus {
  /** Ready, LoadBalancerAvailable, Paused. */
  @ListType(value = "map", mapKeys = "type")
  @Size(max = 32)
  public List<Condition> conditions;

  @MinProperties(1)
  public DevClusterInitializationStatus initialization;

  @ListType(value = "map", mapKeys = "name")
  @Size(min = 1, max = 100)
  public List<FailureDomain> failureDomains;

  public DevClusterDeprecatedStatus deprecated;
}
