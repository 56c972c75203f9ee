package io.capdjava.controlplane.status;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneStatus;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Reads and sets conditions on a KubeadmControlPlane's status, creating the status when it has none. */
public final class KcpStatus {
  private KcpStatus() {}

  public static KubeadmControlPlaneStatus of(KubeadmControlPlane kcp) {
    if (kcp.getStatus() == null) kcp.setStatus(new KubeadmControlPlaneStatus());
    return kcp.getStatus();
  }

  public static List<Condition> conditions(KubeadmControlPlane kcp) {
    return kcp.getStatus() == null ? null : kcp.getStatus().conditions;
  }

  public static void set(KubeadmControlPlane kcp, Condition condition) {
    KubeadmControlPlaneStatus status = of(kcp);
    status.conditions = Conditions.set(status.conditions, condition);
  }

  public static boolean initialized(KubeadmControlPlane kcp) {
    return kcp.getStatus() != null && kcp.getStatus().initialization != null
        && Boolean.TRUE.equals(kcp.getStatus().initialization.controlPlaneInitialized);
  }
}
