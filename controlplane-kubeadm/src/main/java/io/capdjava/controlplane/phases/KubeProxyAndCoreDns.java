package io.capdjava.controlplane.phases;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.controlplane.status.KcpStatus;
import io.capdjava.controlplane.workload.CoreDnsUpgrade;
import io.capdjava.controlplane.workload.KubeProxyImage;
import io.capdjava.controlplane.workload.WorkloadCluster;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The add-ons kubeadm installs but never upgrades on joins, kept at the KCP's settings once every control plane
 * Machine is up to date (upstream, at the end of a reconcile with nothing to roll out or scale): the kube-proxy
 * DaemonSet's image at the KCP's version, and CoreDNS at the KCP's {@code dns} image with its Corefile migrated.
 * The annotations {@code controlplane.cluster.x-k8s.io/skip-kube-proxy} and {@code skip-coredns} turn either off, for
 * clusters whose add-ons are managed elsewhere.
 */
public final class KubeProxyAndCoreDns {
  private static final Logger LOG = LoggerFactory.getLogger(KubeProxyAndCoreDns.class);

  public void reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    // before kubeadm init there are no add-ons, and the workload cluster may not answer yet (upstream would fail here
    // and requeue; nothing is lost by waiting for the initialization it records)
    if (!KcpStatus.initialized(kcp)) return;
    Map<String, String> annotations = kcp.getMetadata().getAnnotations() == null
        ? Map.of() : kcp.getMetadata().getAnnotations();
    ClusterConfiguration configuration = kcp.getSpec().kubeadmConfigSpec == null
        ? null : kcp.getSpec().kubeadmConfigSpec.clusterConfiguration;
    String imageRepository = configuration == null || configuration.imageRepository == null
        ? "" : configuration.imageRepository;
    WorkloadCluster workload = scope.workload();
    String name = scope.namespace() + "/" + kcp.getMetadata().getName();
    if (!annotations.containsKey(KubeadmControlPlane.SKIP_KUBE_PROXY_ANNOTATION)) {
      try {
        if (workload.updateKubeProxyImage(new KubeProxyImage(kcp.getSpec().version, imageRepository))) {
          LOG.info("{}: kube-proxy DaemonSet updated for {}", name, kcp.getSpec().version);
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException("failed to update kube-proxy daemonset: " + e.getMessage(), e);
      }
    }
    if (!annotations.containsKey(KubeadmControlPlane.SKIP_COREDNS_ANNOTATION) && WorkloadKubeadmConfig.defined(kcp)) {
      var dns = configuration.dns;
      CoreDnsUpgrade upgrade = new CoreDnsUpgrade(imageRepository,
          dns == null || dns.imageRepository == null ? "" : dns.imageRepository,
          dns == null || dns.imageTag == null ? "" : dns.imageTag);
      try {
        if (workload.updateCoreDns(upgrade)) LOG.info("{}: CoreDNS updated ({})", name, upgrade);
      } catch (RuntimeException e) {
        throw new IllegalStateException("failed to update CoreDNS deployment: " + e.getMessage(), e);
      }
    }
  }
}
