package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.V1Beta1Condition;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The v1beta1-era status fields (legacy conditions, failure reason and message), until v1beta1 is dropped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmConfigV1Beta1DeprecatedStatus {
  public List<V1Beta1Condition> conditions;

  @Size(min = 1, max = 256)
  public String failureReason;

  @Size(min = 1, max = 10240)
  public String failureMessage;
}
