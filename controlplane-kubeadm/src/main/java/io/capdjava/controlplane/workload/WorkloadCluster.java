package io.capdjava.controlplane.workload;

import io.capdjava.core.KubernetesVersion;
import io.capdjava.controlplane.workload.etcd.EtcdClient;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * What KCP reads and changes in one workload cluster (upstream {@code WorkloadCluster}): its control plane Nodes and
 * static pods, its etcd members, and the kubeadm settings a rollout needs. Calls fail with a runtime exception when
 * the cluster cannot be reached or refuses.
 */
public interface WorkloadCluster {
  /** Nodes labelled {@code node-role.kubernetes.io/control-plane}. */
  List<Node> controlPlaneNodes();

  Optional<Node> node(String name);

  /** A mirror pod in {@code kube-system}; empty when it does not exist. */
  Optional<Pod> kubeSystemPod(String name);

  /** Nodes whose {@code spec.providerID} is {@code providerId}. */
  List<Node> nodesWithProviderId(String providerId);

  /** A client for the first of these Nodes whose etcd member answers. */
  EtcdClient etcdClientForFirstAvailableNode(List<String> nodeNames);

  /** The ClusterRoleBindings kubeadm's upgrade adds for {@code version} (upstream {@code EnsureKubeadmPermissions}). */
  void ensureKubeadmPermissions(KubernetesVersion version);

  /**
   * Rewrites {@code ClusterConfiguration} in {@code kube-system/kubeadm-config} with {@code update} (upstream
   * {@code UpdateClusterConfiguration}); writes only when something changed, retries on conflicts.
   *
   * @return whether the ConfigMap was changed
   */
  boolean updateClusterConfiguration(ClusterConfigurationEdit update);

  /**
   * Sets the {@code kube-proxy} container's image of {@code kube-system/kube-proxy} as {@code image} says (upstream
   * {@code UpdateKubeProxyImageInfo}); nothing when the DaemonSet or its container does not exist.
   *
   * @return whether the DaemonSet was changed
   */
  boolean updateKubeProxyImage(KubeProxyImage image);

  /**
   * Moves CoreDNS as {@code upgrade} says (upstream {@code UpdateCoreDNS}): kubeadm-config's DNS image settings, the
   * Corefile migrated (the old one kept as {@code Corefile-backup}, which the Deployment reads meanwhile), then the
   * Deployment's image. Nothing when the {@code coredns} ConfigMap or Deployment does not exist.
   *
   * @return whether anything was changed
   */
  boolean updateCoreDns(CoreDnsUpgrade upgrade);

  /** When the serving certificate of {@code nodeName}'s API server, listening on {@code port}, expires. */
  java.time.Instant apiServerCertificateExpiry(String nodeName, int port);
}
