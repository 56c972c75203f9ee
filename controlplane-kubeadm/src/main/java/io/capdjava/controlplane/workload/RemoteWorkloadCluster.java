package io.capdjava.controlplane.workload;

import io.capdjava.core.KubernetesVersion;
import io.capdjava.controlplane.health.NodeFacts;
import io.capdjava.controlplane.workload.etcd.EtcdClient;
import io.capdjava.controlplane.workload.etcd.EtcdClients;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  public boolean updateClusterConfiguration(ClusterConfigurationEdit update) {
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

  @Override
  public boolean updateKubeProxyImage(KubeProxyImage image) {
    DaemonSet ds = client.apps().daemonSets().inNamespace(KubeadmConfigMapProbe.NAMESPACE).withName(KubeProxyImage.NAME)
        .get();
    if (ds == null) return false;
    List<Container> containers = ds.getSpec().getTemplate().getSpec().getContainers();
    for (int i = 0; i < containers.size(); i++) {
      if (!KubeProxyImage.NAME.equals(containers.get(i).getName())) continue;
      String desired = image.desired(containers.get(i).getImage());
      if (desired.equals(containers.get(i).getImage())) return false;
      ArrayNode patch = Serialization.jsonMapper().createArrayNode();
      String path = "/spec/template/spec/containers/" + i;
      test(patch, path + "/name", KubeProxyImage.NAME);
      replace(patch, path + "/image", desired);
      client.apps().daemonSets().inNamespace(KubeadmConfigMapProbe.NAMESPACE).withName(KubeProxyImage.NAME)
          .patch(PatchContext.of(PatchType.JSON), patch.toString());
      return true;
    }
    return false;
  }

  @Override
  public boolean updateCoreDns(CoreDnsUpgrade upgrade) {
    var configMaps = client.configMaps().inNamespace(KubeadmConfigMapProbe.NAMESPACE).withName(CoreDnsUpgrade.NAME);
    ConfigMap configMap = configMaps.get();
    if (configMap == null) return false;
    String corefile = configMap.getData() == null ? null : configMap.getData().get(CoreDnsUpgrade.COREFILE_KEY);
    if (corefile == null) throw new IllegalStateException("unable to find the CoreDNS Corefile data");
    var deployments = client.apps().deployments().inNamespace(KubeadmConfigMapProbe.NAMESPACE)
        .withName(CoreDnsUpgrade.NAME);
    Deployment deployment = deployments.get();
    if (deployment == null) return false;
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    int index = -1;
    for (int i = 0; i < containers.size(); i++) {
      if (CoreDnsUpgrade.NAME.equals(containers.get(i).getName())) index = i;
    }
    if (index < 0) {
      throw new IllegalStateException("failed to update coredns deployment: deployment spec has no \"coredns\" container");
    }
    var plan = upgrade.plan(containers.get(index).getImage());
    if (plan.isEmpty()) return false;
    // before anything is written: a Corefile that cannot be migrated leaves CoreDNS as it is
    String migrated = CorefileMigration.migrate(plan.get().fromVersion(), plan.get().toVersion(), corefile);
    updateClusterConfiguration(new KubeadmDnsImageEdit(upgrade.dnsImageRepository(), upgrade.dnsImageTag()));
    // the running pods read the old Corefile from its backup while the Corefile is rewritten
    patchCorefileData(configMaps, corefile, corefile);
    ArrayNode toBackup = Serialization.jsonMapper().createArrayNode();
    corefileVolumeItems(toBackup, deployment, CoreDnsUpgrade.COREFILE_KEY, CoreDnsUpgrade.COREFILE_BACKUP_KEY);
    if (!toBackup.isEmpty()) deployments.patch(PatchContext.of(PatchType.JSON), toBackup.toString());
    patchCorefileData(configMaps, migrated, corefile);
    deployment = deployments.get();
    if (deployment == null) throw new IllegalStateException("kube-system/coredns vanished while CoreDNS was updated");
    ArrayNode toNew = Serialization.jsonMapper().createArrayNode();
    String path = "/spec/template/spec/containers/" + index;
    test(toNew, path + "/name", CoreDnsUpgrade.NAME);
    replace(toNew, path + "/image", plan.get().toImage());
    corefileVolumeItems(toNew, deployment, CoreDnsUpgrade.COREFILE_BACKUP_KEY, CoreDnsUpgrade.COREFILE_KEY);
    deployments.patch(PatchContext.of(PatchType.JSON), toNew.toString());
    return true;
  }

  /** Only the two Corefile keys change; whatever else the ConfigMap holds stays. */
  private static void patchCorefileData(
      io.fabric8.kubernetes.client.dsl.Resource<ConfigMap> configMap, String corefile, String backup) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CoreDnsUpgrade.COREFILE_KEY, corefile);
    data.put(CoreDnsUpgrade.COREFILE_BACKUP_KEY, backup);
    configMap.patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("data", data)));
  }

  /** Upstream {@code patchCoreDNSDeploymentVolume}: the Corefile item of the config volume switched to {@code to}. */
  private static void corefileVolumeItems(ArrayNode patch, Deployment deployment, String from, String to) {
    List<Volume> volumes = deployment.getSpec().getTemplate().getSpec().getVolumes();
    if (volumes == null) return;
    for (int v = 0; v < volumes.size(); v++) {
      Volume volume = volumes.get(v);
      if (!CoreDnsUpgrade.VOLUME_NAME.equals(volume.getName()) || volume.getConfigMap() == null
          || !CoreDnsUpgrade.NAME.equals(volume.getConfigMap().getName()) || volume.getConfigMap().getItems() == null) {
        continue;
      }
      List<KeyToPath> items = volume.getConfigMap().getItems();
      for (int i = 0; i < items.size(); i++) {
        String key = items.get(i).getKey();
        if (!from.equals(key) && !to.equals(key)) continue;
        String path = "/spec/template/spec/volumes/" + v + "/configMap/items/" + i + "/key";
        test(patch, path, key);
        replace(patch, path, to);
      }
    }
  }

  private static void test(ArrayNode patch, String path, String value) {
    ObjectNode op = patch.addObject();
    op.put("op", "test").put("path", path).put("value", value);
  }

  private static void replace(ArrayNode patch, String path, String value) {
    ObjectNode op = patch.addObject();
    op.put("op", "replace").put("path", path).put("value", value);
  }
}
