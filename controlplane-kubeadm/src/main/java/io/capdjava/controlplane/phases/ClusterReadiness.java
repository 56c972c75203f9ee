package io.capdjava.controlplane.phases;

import io.capdjava.api.core.v1beta2.Cluster;

/** The two facts about the Cluster that gate KCP: infrastructure provisioned, and a control plane endpoint. */
public final class ClusterReadiness {
  private ClusterReadiness() {}

  public static boolean infrastructureProvisioned(Cluster cluster) {
    return cluster.getStatus() != null && cluster.getStatus().initialization != null
        && Boolean.TRUE.equals(cluster.getStatus().initialization.infrastructureProvisioned);
  }

  public static boolean endpointValid(Cluster cluster) {
    return cluster.getSpec() != null && cluster.getSpec().controlPlaneEndpoint != null
        && cluster.getSpec().controlPlaneEndpoint.isValid();
  }
}
