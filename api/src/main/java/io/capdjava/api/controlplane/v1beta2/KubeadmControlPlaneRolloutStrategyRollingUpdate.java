package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Parameters of the RollingUpdate strategy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneRolloutStrategyRollingUpdate {
  /**
   * 1 (default): scale up before removing an old Machine; 0: remove first (needs 3+ replicas). Like upstream, a
   * string is read as an integer and counts as 0 when it is not one.
   */
  @ValidationRule(
      value =
          "type(self) == int ? (self == 0 || self == 1)"
              + " : (!self.matches('^[-+]?[0-9]+$') || int(self) == 0 || int(self) == 1)",
      message = "maxSurge: value must be 1 or 0")
  public IntOrString maxSurge;
}
