package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.V1Beta1Condition;
import java.util.List;

/** The v1beta1-shape status of a DockerMachine, for clients that still read v1beta1 conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachineV1Beta1DeprecatedStatus {
  public List<V1Beta1Condition> conditions;
}
