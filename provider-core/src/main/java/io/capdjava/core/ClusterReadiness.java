package io.capdjava.core;

import io.capdjava.api.core.v1beta2.Cluster;

/**
 * The facts about a Cluster that gate every provider's work, read one way everywhere: infrastructure provisioned,
 * control plane initialized (v1beta2 {@code status.initialization}, or the {@code ControlPlaneInitialized}
 * condition), and a control plane endpoint.
 */
public final class ClusterReadiness {
  /** The condition CAPI core sets on the Cluster once the first control plane machine is up. */
  public static final String CONTROL_PLANE_INITIALIZED = "ControlPlaneInitialized";

  private ClusterReadiness() {}

  public static boolean infrastructureProvisioned(Cluster cluster) {
    return cluster.getStatus() != null && cluster.getStatus().initialization != null
        && Boolean.TRUE.equals(cluster.getStatus().initialization.infrastructureProvisioned);
  }

  public static boolean controlPlaneInitialized(Cluster cluster) {
    if (cluster.getStatus() == null) return false;
    return Conditions.isTrue(cluster.getStatus().conditions, CONTROL_PLANE_INITIALIZED)
        || cluster.getStatus().initialization != null
            && Boolean.TRUE.equals(cluster.getStatus().initialization.controlPlaneInitialized);
  }

  public static boolean endpointValid(Cluster cluster) {
    return cluster.getSpec() != null && cluster.getSpec().controlPlaneEndpoint != null
        && cluster.getSpec().controlPlaneEndpoint.isValid();
  }
}
