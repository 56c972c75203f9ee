package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.docker.kinds.ClusterSettings;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/** DockerCluster (deprecated in upstream v1.14 for DevCluster): the docker backend, its settings in the spec itself. */
// every event, deletions included, reaches reconcile: upstream's finalizer names have no slash, so JOSDK cannot
// manage them, and it would otherwise skip objects being deleted
@ControllerConfiguration(name = "dockercluster", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DockerClusterReconciler extends DockerBackendClusterReconciler<DockerCluster> {
  public DockerClusterReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, EventRecorder events) {
    super(client, informers, runtime, security, events);
  }

  @Override
  protected Class<DockerCluster> type() {
    return DockerCluster.class;
  }

  @Override
  protected ClusterSettings settings(DockerCluster cluster) {
    return ClusterSettings.of(cluster);
  }
}
