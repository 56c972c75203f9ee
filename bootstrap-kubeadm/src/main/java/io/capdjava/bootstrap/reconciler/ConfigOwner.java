package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Contract;

/**
 * The Machine a KubeadmConfig bootstraps (upstream {@code ConfigOwner}, Machine only): its Kubernetes version,
 * whether it is a control plane machine (the {@code cluster.x-k8s.io/control-plane} label), the data secret CAPI core
 * recorded for it and whether its Node exists.
 */
public record ConfigOwner(Machine machine) {
  public String name() {
    return machine.getMetadata().getName();
  }

  public String clusterName() {
    return machine.getSpec() == null ? null : machine.getSpec().clusterName;
  }

  public String kubernetesVersion() {
    return machine.getSpec() == null ? null : machine.getSpec().version;
  }

  public boolean isControlPlane() {
    return machine.getMetadata().getLabels() != null
        && machine.getMetadata().getLabels().containsKey(Contract.Label.CONTROL_PLANE);
  }

  /** {@code spec.bootstrap.dataSecretName}: set by CAPI core, and kept by a move even when our status is not. */
  public String dataSecretName() {
    if (machine.getSpec() == null || machine.getSpec().bootstrap == null) return null;
    String name = machine.getSpec().bootstrap.dataSecretName;
    return name == null || name.isEmpty() ? null : name;
  }

  public boolean hasNodeRef() {
    return machine.getStatus() != null && machine.getStatus().nodeRef != null
        && machine.getStatus().nodeRef.name != null && !machine.getStatus().nodeRef.name.isEmpty();
  }
}
