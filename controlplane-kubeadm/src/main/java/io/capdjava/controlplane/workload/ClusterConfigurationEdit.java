package io.capdjava.controlplane.workload;

/** A change of the {@code ClusterConfiguration} document in {@code kube-system/kubeadm-config}. */
@FunctionalInterface
public interface ClusterConfigurationEdit {
  /** The edited document; the same text when nothing changes. */
  String apply(String current);
}
