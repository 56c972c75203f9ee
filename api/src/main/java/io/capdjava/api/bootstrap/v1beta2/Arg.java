package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One command-line argument (flag name without leading dashes, and its value) for a kubeadm-managed component. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Arg {
  @Required
  @Size(min = 1, max = 256)
  public String name;

  /** May be the empty string. */
  @Required
  @Size(max = 1024)
  public String value;

  public Arg() {}

  public Arg(String name, String value) {
    this.name = name;
    this.value = value;
  }
}
