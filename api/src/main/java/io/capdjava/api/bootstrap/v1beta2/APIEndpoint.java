package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** Address and port a node's own API server instance advertises and binds (kubeadm's APIEndpoint). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class APIEndpoint {
  @Size(min = 1, max = 39)
  public String advertiseAddress;

  /** Defaults to 6443. */
  @Min(1)
  public Integer bindPort;
}
