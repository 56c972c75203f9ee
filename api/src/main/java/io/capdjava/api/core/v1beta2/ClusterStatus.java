package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The parts of a Cluster's status providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterStatus extends UnknownFields {
  public ClusterInitializationStatus initialization;

  public List<Condition> conditions;

  public List<FailureDomain> failureDomains;

  public String phase;

  public Long observedGeneration;
}
