package io.capdjava.controlplane.workload;

import io.capdjava.core.WorkloadClusterClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

/**
 * {@link KubeadmConfigMapProbe} over the client that {@code <cluster>-kubeconfig} gives. The probe asks once, without
 * the client's retries: until the first API server is up every reconcile asks, and fabric8's default of ten retries
 * with backoff would hold the reconcile thread for about 20 seconds each time.
 */
public final class WorkloadKubeadmConfigMap implements KubeadmConfigMapProbe {
  private final WorkloadClusterClients clients;

  public WorkloadKubeadmConfigMap(WorkloadClusterClients clients) {
    this.clients = clients;
  }

  @Override
  public boolean hasKubeadmConfig(String namespace, String cluster) {
    return clients.forCluster(namespace, cluster)
        .map(WorkloadKubeadmConfigMap::withoutRetries)
        .map(c -> c.configMaps().inNamespace(NAMESPACE).withName(NAME).get() != null)
        .orElse(false);
  }

  @Override
  public void forget(String namespace, String cluster) {
    clients.forget(namespace, cluster);
  }

  private static KubernetesClient withoutRetries(KubernetesClient client) {
    RequestConfig once = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0)
        .build();
    return client.newClient(once).adapt(KubernetesClient.class);
  }
}
