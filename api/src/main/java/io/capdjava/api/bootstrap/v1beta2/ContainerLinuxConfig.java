package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** Container Linux Config (CLC) merged into the Ignition config CABPK generates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerLinuxConfig {
  /** CLC YAML merged into the generated config. */
  @Size(min = 1, max = 32768)
  public String additionalConfig;

  /** Treat CLC parse warnings as errors. */
  public Boolean strict;
}
