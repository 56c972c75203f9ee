package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/** kubeadm's timeouts in seconds; unset means kubeadm's default (shown per field). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Timeouts {
  /** Default 240. */
  @Min(0)
  public Integer controlPlaneComponentHealthCheckSeconds;

  /** Default 240. */
  @Min(0)
  public Integer kubeletHealthCheckSeconds;

  /** Default 60. */
  @Min(0)
  public Integer kubernetesAPICallSeconds;

  /** Default 120. */
  @Min(0)
  public Integer etcdAPICallSeconds;

  /** Default 300. */
  @Min(0)
  public Integer tlsBootstrapSeconds;

  /** Default 300. */
  @Min(0)
  public Integer discoverySeconds;
}
