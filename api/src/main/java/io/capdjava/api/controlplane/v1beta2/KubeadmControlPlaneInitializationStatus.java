package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The contract's initialization status of a control plane. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneInitializationStatus {
  /** True once the control plane accepts requests; set once and never reset. */
  public Boolean controlPlaneInitialized;
}
