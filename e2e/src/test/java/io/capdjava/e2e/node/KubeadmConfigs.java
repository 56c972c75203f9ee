package io.capdjava.e2e.node;

import java.security.SecureRandom;

/**
 * The kubeadm configuration a node receives at /run/kubeadm/kubeadm.yaml, written here by hand in the shape the
 * kubeadm bootstrap provider produces (v1beta4, kubelet flags as CAPD's templates set them) until its output replaces
 * it.
 */
final class KubeadmConfigs {
  static final String PATH = "/run/kubeadm/kubeadm.yaml";
  static final String POD_SUBNET = "10.244.0.0/16";
  static final String SERVICE_SUBNET = "10.96.0.0/12";
  static final String CLUSTER_DNS_IP = "10.96.0.10";
  static final String KUBERNETES_SERVICE_IP = "10.96.0.1";

  // CAPD's templates turn disk-pressure eviction off: the node's disk is the host's, shared by every node
  private static final String KUBELET_EXTRA_ARGS =
      """
        kubeletExtraArgs:
        - name: eviction-hard
          value: nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%
      """;

  private KubeadmConfigs() {}

  /** A bootstrap token, {@code [a-z0-9]{6}.[a-z0-9]{16}} as kubeadm requires. */
  static String newToken() {
    SecureRandom random = new SecureRandom();
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < 23; i++) {
      token.append(i == 6 ? '.' : alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return token.toString();
  }

  /**
   * InitConfiguration + ClusterConfiguration for the first control-plane node, plus the KubeProxyConfiguration a node
   * in a container needs: kube-proxy's default conntrack sizing writes net.netfilter.nf_conntrack_max, which is
   * read-only outside the host's network namespace, and kube-proxy exits on the error. maxPerCore 0 leaves it as is.
   */
  static String init(String clusterName, String controlPlaneEndpoint, String kubernetesVersion, String token) {
    return """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        bootstrapTokens:
        - token: %s
          ttl: 1h0m0s
        nodeRegistration:
          criSocket: unix:///var/run/containerd/containerd.sock
        %s---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        clusterName: %s
        kubernetesVersion: %s
        controlPlaneEndpoint: %s
        networking:
          podSubnet: %s
          serviceSubnet: %s
        apiServer:
          certSANs: [localhost, 127.0.0.1]
        ---
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        conntrack:
          maxPerCore: 0
        """
        .formatted(
            token, KUBELET_EXTRA_ARGS, clusterName, kubernetesVersion, controlPlaneEndpoint, POD_SUBNET,
            SERVICE_SUBNET);
  }

  /** JoinConfiguration for a worker, discovering the cluster through the bootstrap token. */
  static String join(String apiServerEndpoint, String token) {
    return """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        discovery:
          bootstrapToken:
            apiServerEndpoint: %s
            token: %s
            unsafeSkipCAVerification: true
        nodeRegistration:
          criSocket: unix:///var/run/containerd/containerd.sock
        %s"""
        .formatted(apiServerEndpoint, token, KUBELET_EXTRA_ARGS);
  }
}
