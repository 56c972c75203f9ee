package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An environment variable for an exec credential plugin. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeConfigAuthExecEnv {
  @Required
  @Size(min = 1, max = 512)
  public String name;

  @Required
  @Size(min = 1, max = 512)
  public String value;
}
