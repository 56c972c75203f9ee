package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** How old control plane Machines are replaced by new ones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneRolloutStrategy {
  public static final String ROLLING_UPDATE = "RollingUpdate";

  @Required
  @Enum({ROLLING_UPDATE})
  public String type;

  @MinProperties(1)
  public KubeadmControlPlaneRolloutStrategyRollingUpdate rollingUpdate;
}
