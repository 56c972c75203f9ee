package io.capdjava.controlplane.workload;

import io.capdjava.core.KubernetesVersion;
import io.capdjava.controlplane.health.NodeFacts;
import io.capdjava.controlplane.workload.etcd.EtcdClient;
import io.capdjava.controlplane.workload.etcd.EtcdClients;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link WorkloadCluster} over a client of the workload cluster's API server. */
final class RemoteWorkloadCluster implements WorkloadCluster {
  static final String CLUSTER_CONFIGURATION_KEY = "ClusterConfiguration";
  private static final int CONFLICT_RETRIES = 5;

  private final KubernetesClient client;
  private final Supplier<EtcdClients> etcd;

  RemoteWorkloadCluster(KubernetesClient client, Supplier<EtcdClients> etcd) {
    this.client = client;
    this.etcd = etcd;
  }

  @Override
  public List<Node> controlPlaneNodes() {
    return client.nodes().withLabel(NodeFacts.CONTROL_PLANE_ROLE).list().getItems();
  }

  @Override
  public Optional<Node> node(String name) {
    return Optional.ofNullable(client.nodes().withName(name).get());
  }

  @Override
  public Optional<Pod> kubeSystemPod(String name) {
    return Optional.ofNullable(client.pods().inNamespace(KubeadmConfigMapProbe.NAMESPACE).withName(name).get());
  }

  @Override
  public List<Node> nodesWithProviderId(String providerId) {
    return client.nodes().list().getItems().stream()
        .filter(n -> n.getSpec() != null && Objects.equals(providerId, n.getSpec().getProviderID()))
        .toList();
  }

  @Override
  public java.time.Instant apiServerCertificateExpiry(String nodeName, int port) {
    return ApiServerCertificate.expiry(client, nodeName, port);
  }

  @Override
  public EtcdClient etcdClientForFirstAvailableNode(List<String> nodeNames) {
    return etcd.get().forFirstAvailableNode(nodeNames);
  }

  @Override
  public void ensureKubeadmPermissions(KubernetesVersion version) {
    // what kubeadm's upgrade adds; nothing left to add from 1.38 on
    if (version.compareIgnoringPreRelease(1, 38, 0) >= 0) return;
    ensure(new ClusterRoleBindingBuilder()
        .withNewMetadata().withName("kubeadm:cluster-admins").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin")
        .endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("kubeadm:cluster-admins")
        .endSubject()
        .build());
    ensure(new ClusterRoleBindingBuilder()
        .withNewMetadata().withName("kubeadm:apiserver-kubelet-client").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName("system:kubelet-api-admin").endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
        .withName("kube-apiserver-kubelet-client").endSubject()
        .build());
  }

  /** Creates the binding unless it exists; an existing one is left as it is. */
  private void ensure(ClusterRoleBinding binding) {
    var resource = client.rbac().clusterRoleBindings().withName(binding.getMetadata().getName());
    if (resource.get() != null) return;
    try {
      client.rbac().clusterRoleBindings().resource(binding).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
    }
  }

  @Override
  public boolean updateClusterConfiguration(KubeadmClusterConfigurationUpdate update) {
    for (int attempt = 1; ; attempt++) {
      ConfigMap configMap = client.configMaps().inNamespace(KubeadmConfigMapProbe.NAMESPACE)
          .withName(KubeadmConfigMapProbe.NAME).get();
      if (configMap == null) {
        throw new IllegalStateException("kube-system/" + KubeadmConfigMapProbe.NAME + " not found in the workload cluster");
      }
      String current = configMap.getData() == null ? null : configMap.getData().get(CLUSTER_CONFIGURATION_KEY);
      if (current == null) {
        throw new IllegalStateException("unable to find \"" + CLUSTER_CONFIGURATION_KEY + "\" in the "
            + KubeadmConfigMapProbe.NAME + " ConfigMap");
      }
      String updated = update.apply(current);
      if (updated.equals(current)) return false;
      configMap.getData().put(CLUSTER_CONFIGURATION_KEY, updated);
      try {
        // an update with the read resourceVersion: a concurrent writer makes it fail rather than being overwritten
        client.configMaps().inNamespace(KubeadmConfigMapProbe.NAMESPACE).resource(configMap).update();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= CONFLICT_RETRIES) throw e;
      }
    }
  }
}
