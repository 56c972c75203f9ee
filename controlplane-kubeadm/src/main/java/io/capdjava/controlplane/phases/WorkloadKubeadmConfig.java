package io.capdjava.controlplane.phases;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.KubernetesVersion;
import io.capdjava.controlplane.desired.DesiredKubeadmConfig;
import io.capdjava.controlplane.workload.KubeadmClusterConfigurationUpdate;
import io.capdjava.controlplane.workload.WorkloadCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a rollout replaces Machines, the workload cluster gets what kubeadm's upgrade would give it (upstream
 * {@code updateControlPlane}): the ClusterRoleBindings newer kubeadm versions expect, and
 * {@code kube-system/kubeadm-config} rewritten for the KCP's version and settings, since joining Machines read their
 * cluster configuration from there.
 */
public final class WorkloadKubeadmConfig {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadKubeadmConfig.class);

  public void reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    KubernetesVersion version = KubernetesVersion.tryParse(kcp.getSpec().version).orElseThrow(() ->
        new IllegalArgumentException("spec.version: failed to update control plane: failed to parse Kubernetes"
            + " version \"" + kcp.getSpec().version + "\""));
    WorkloadCluster workload = scope.workload();
    try {
      workload.ensureKubeadmPermissions(version);
    } catch (RuntimeException e) {
      throw new IllegalStateException("failed to update control plane: failed to set kubeadm's ClusterRoleBindings: "
          + e.getMessage(), e);
    }
    ClusterConfiguration desired = defined(kcp) ? DesiredKubeadmConfig.spec(kcp, false).clusterConfiguration : null;
    try {
      if (workload.updateClusterConfiguration(
          new KubeadmClusterConfigurationUpdate(version, desired, scope.etcdManaged()))) {
        LOG.info("{}/{}: updated kube-system/kubeadm-config in the workload cluster for {}", scope.namespace(),
            kcp.getMetadata().getName(), kcp.getSpec().version);
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("failed to update control plane: " + e.getMessage(), e);
    }
  }

  /** Upstream {@code ClusterConfiguration.IsDefined}: set and not empty. */
  static boolean defined(KubeadmControlPlane kcp) {
    ClusterConfiguration c = kcp.getSpec().kubeadmConfigSpec == null
        ? null : kcp.getSpec().kubeadmConfigSpec.clusterConfiguration;
    if (c == null) return false;
    return set(Serialization.jsonMapper().valueToTree(c));
  }

  private static boolean set(JsonNode node) {
    if (node == null || node.isNull()) return false;
    if (!node.isContainerNode()) return !(node.isTextual() && node.asText().isEmpty());
    for (JsonNode child : node) {
      if (set(child)) return true;
    }
    return false;
  }
}
