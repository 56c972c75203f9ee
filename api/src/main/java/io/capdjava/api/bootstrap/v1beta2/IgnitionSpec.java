package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;

/** Settings that only apply when the bootstrap format is Ignition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IgnitionSpec {
  @MinProperties(1)
  public ContainerLinuxConfig containerLinuxConfig;
}
