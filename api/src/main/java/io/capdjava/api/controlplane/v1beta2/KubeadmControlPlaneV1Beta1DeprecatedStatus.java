package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.V1Beta1Condition;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The v1beta1 status fields, still written for clients reading v1beta1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneV1Beta1DeprecatedStatus {
  public List<V1Beta1Condition> conditions;

  public String failureReason;

  @Size(min = 1, max = 10240)
  public String failureMessage;

  /** Non-terminated Machines with the desired template spec. */
  public Integer updatedReplicas;

  /** Machines whose Node is ready. */
  public Integer readyReplicas;

  /** Machines still needed for 100% available capacity (not ready or not yet created). */
  public Integer unavailableReplicas;
}
