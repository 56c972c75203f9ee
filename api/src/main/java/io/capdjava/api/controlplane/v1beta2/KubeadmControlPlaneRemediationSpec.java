package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/** How KCP remediates control plane Machines a MachineHealthCheck marked unhealthy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneRemediationSpec {
  /** How often the replacement of a replacement may be remediated again; unset = no limit. */
  public Integer maxRetry;

  /** Wait before remediating a replacement Machine (a retry); unset = immediately. */
  @Min(0)
  public Integer retryPeriodSeconds;

  /** After this long a failure is no longer a retry of the previous remediation; unset = 3600. */
  @Min(0)
  public Integer minHealthyPeriodSeconds;
}
