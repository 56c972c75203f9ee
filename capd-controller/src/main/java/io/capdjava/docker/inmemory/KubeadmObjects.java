package io.capdjava.docker.inmemory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * What {@code kubeadm init} leaves in a new cluster that KCP and CABPK read or change later: the
 * {@code kubeadm-config} ConfigMap (its ClusterConfiguration, which KCP edits on upgrades), the
 * {@code kubeadm:get-nodes} RBAC, the kube-proxy DaemonSet and CoreDNS (ConfigMap and Deployment), with the images
 * kubeadm would use for the version.
 */
final class KubeadmObjects {
  static final String KUBE_SYSTEM = "kube-system";
  static final String IMAGE_REPOSITORY = "registry.k8s.io";
  /** The CoreDNS kubeadm v1.34 installs. */
  static final String COREDNS_VERSION = "v1.12.1";
  static final String COREFILE = """
      .:53 {
          errors
          health {
             lameduck 5s
          }
          ready
          kubernetes %s in-addr.arpa ip6.arpa {
             pods insecure
             fallthrough in-addr.arpa ip6.arpa
             ttl 30
          }
          prometheus :9153
          forward . /etc/resolv.conf {
             max_concurrent 1000
          }
          cache 30 {
             disable success %s
             disable denial %s
          }
          loop
          reload
          loadbalance
      }
      """;

  private KubeadmObjects() {}

  /** The cluster's facts kubeadm writes into its ClusterConfiguration. */
  record ClusterFacts(String clusterName, String kubernetesVersion, String controlPlaneEndpoint, String dnsDomain,
      String podSubnet, String serviceSubnet) {}

  static ObjectNode kubeadmConfig(ClusterFacts facts) {
    StringBuilder yaml = new StringBuilder()
        .append("apiServer: {}\n")
        .append("apiVersion: kubeadm.k8s.io/v1beta4\n")
        .append("caCertificateValidityPeriod: 87600h0m0s\n")
        .append("certificateValidityPeriod: 8760h0m0s\n")
        .append("certificatesDir: /etc/kubernetes/pki\n")
        .append("clusterName: ").append(facts.clusterName()).append('\n')
        .append("controlPlaneEndpoint: ").append(facts.controlPlaneEndpoint()).append('\n')
        .append("controllerManager: {}\n")
        .append("dns: {}\n")
        .append("encryptionAlgorithm: RSA-2048\n")
        .append("etcd:\n  local:\n    dataDir: /var/lib/etcd\n")
        .append("imageRepository: ").append(IMAGE_REPOSITORY).append('\n')
        .append("kind: ClusterConfiguration\n")
        .append("kubernetesVersion: ").append(facts.kubernetesVersion()).append('\n')
        .append("networking:\n  dnsDomain: ").append(facts.dnsDomain()).append('\n');
    if (facts.podSubnet() != null) yaml.append("  podSubnet: ").append(facts.podSubnet()).append('\n');
    if (facts.serviceSubnet() != null) yaml.append("  serviceSubnet: ").append(facts.serviceSubnet()).append('\n');
    yaml.append("proxy: {}\nscheduler: {}\n");
    var configMap = new ConfigMapBuilder()
        .withNewMetadata().withName("kubeadm-config").withNamespace(KUBE_SYSTEM).endMetadata()
        .withData(Map.of("ClusterConfiguration", yaml.toString()))
        .build();
    return Serialization.jsonMapper().valueToTree(configMap);
  }

  static ObjectNode getNodesClusterRole() {
    return Serialization.jsonMapper().valueToTree(new ClusterRoleBuilder()
        .withNewMetadata().withName("kubeadm:get-nodes").endMetadata()
        .addNewRule().withApiGroups("").withResources("nodes").withVerbs("get").endRule()
        .build());
  }

  static ObjectNode getNodesClusterRoleBinding() {
    return Serialization.jsonMapper().valueToTree(new ClusterRoleBindingBuilder()
        .withNewMetadata().withName("kubeadm:get-nodes").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
            .withName("kubeadm:get-nodes").endRoleRef()
        .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
            .withName("system:bootstrappers:kubeadm:default-node-token").endSubject()
        .build());
  }

  static ObjectNode kubeProxy(String kubernetesVersion) {
    return Serialization.jsonMapper().valueToTree(new DaemonSetBuilder()
        .withNewMetadata().withName("kube-proxy").withNamespace(KUBE_SYSTEM)
            .withLabels(Map.of("k8s-app", "kube-proxy")).endMetadata()
        .withNewSpec()
            .withNewSelector().withMatchLabels(Map.of("k8s-app", "kube-proxy")).endSelector()
            .withNewTemplate()
                .withNewMetadata().withLabels(Map.of("k8s-app", "kube-proxy")).endMetadata()
                .withNewSpec().addNewContainer().withName("kube-proxy")
                    .withImage(IMAGE_REPOSITORY + "/kube-proxy:" + ociTag(kubernetesVersion)).endContainer().endSpec()
            .endTemplate()
        .endSpec()
        .build());
  }

  static ObjectNode corednsConfigMap(String dnsDomain) {
    return Serialization.jsonMapper().valueToTree(new ConfigMapBuilder()
        .withNewMetadata().withName("coredns").withNamespace(KUBE_SYSTEM).endMetadata()
        .withData(Map.of("Corefile", COREFILE.formatted(dnsDomain, dnsDomain, dnsDomain)))
        .build());
  }

  static ObjectNode corednsDeployment() {
    return Serialization.jsonMapper().valueToTree(new DeploymentBuilder()
        .withNewMetadata().withName("coredns").withNamespace(KUBE_SYSTEM)
            .withLabels(Map.of("k8s-app", "kube-dns")).endMetadata()
        .withNewSpec().withReplicas(2)
            .withNewSelector().withMatchLabels(Map.of("k8s-app", "kube-dns")).endSelector()
            .withNewTemplate()
                .withNewMetadata().withLabels(Map.of("k8s-app", "kube-dns")).endMetadata()
                .withNewSpec().addNewContainer().withName("coredns")
                    .withImage(IMAGE_REPOSITORY + "/coredns/coredns:" + COREDNS_VERSION).endContainer().endSpec()
            .endTemplate()
        .endSpec()
        .build());
  }

  /** A Kubernetes version as an image tag ({@code +} is not allowed in tags; kubeadm uses {@code _}). */
  static String ociTag(String version) {
    return version.replace('+', '_');
  }
}
