package io.capdjava.controlplane.workload;

/**
 * Whether a workload cluster has {@code kube-system/kubeadm-config}, the ConfigMap {@code kubeadm init} writes once
 * the first control plane node is up: upstream's signal that the control plane is initialized.
 */
public interface KubeadmConfigMapProbe {
  String NAMESPACE = "kube-system";
  String NAME = "kubeadm-config";

  /**
   * True when the ConfigMap exists, false when the cluster answers without it or has no kubeconfig secret yet.
   *
   * @throws RuntimeException when the workload cluster cannot be reached
   */
  boolean hasKubeadmConfig(String namespace, String cluster);

  /** Releases what is kept for a cluster that is gone (its client). */
  default void forget(String namespace, String cluster) {}
}
