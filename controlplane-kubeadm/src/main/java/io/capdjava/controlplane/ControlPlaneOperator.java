package io.capdjava.controlplane;

import io.capdjava.controlplane.workload.WorkloadClusters;
import io.capdjava.controlplane.workload.WorkloadKubeadmConfigMap;
import io.capdjava.core.WorkloadClusterClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.Set;

/**
 * The JOSDK operator running the KubeadmControlPlane reconciler against one management cluster, watching the given
 * namespaces (all when empty). The same wiring serves the runnable jar and the tests.
 */
public final class ControlPlaneOperator implements AutoCloseable {
  private final Operator operator;
  private final WorkloadClusterClients workloadClusters;

  public ControlPlaneOperator(KubernetesClient client, Set<String> namespaces, boolean closeClientOnStop) {
    this.workloadClusters = new WorkloadClusterClients(client);
    this.operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(closeClientOnStop));
    KubeadmControlPlaneReconciler reconciler = new KubeadmControlPlaneReconciler(client,
        new WorkloadKubeadmConfigMap(workloadClusters), new WorkloadClusters(client, workloadClusters),
        Clock.systemUTC());
    operator.register(reconciler, o -> {
      if (!namespaces.isEmpty()) o.settingNamespaces(namespaces);
    });
  }

  public void start() {
    operator.start();
  }

  @Override
  public void close() {
    operator.stop();
    workloadClusters.close();
  }
}
