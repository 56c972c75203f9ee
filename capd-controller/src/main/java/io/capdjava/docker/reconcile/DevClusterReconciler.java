package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.docker.kinds.ClusterSettings;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/**
 * DevCluster (upstream v1.14's API): {@code spec.backend.docker} runs the docker backend, as a DockerCluster does; a
 * DevCluster asking for {@code spec.backend.inMemory} is told that this provider does not run that backend.
 */
// every event, deletions included, reaches reconcile (see DockerClusterReconciler)
@ControllerConfiguration(name = "devcluster", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DevClusterReconciler extends DockerBackendClusterReconciler<DevCluster> {
  public DevClusterReconciler(KubernetesClient client, ContainerRuntime runtime, SecurityProfile security,
      EventRecorder events) {
    super(client, runtime, security, events);
  }

  @Override
  protected Class<DevCluster> type() {
    return DevCluster.class;
  }

  @Override
  protected ClusterSettings settings(DevCluster cluster) {
    return ClusterSettings.of(cluster);
  }

  /**
   * A DevCluster may come without spec (upstream's e2e templates), but a spec needs {@code backend}: the endpoint is
   * written with an empty one beside it (a merge patch leaves an existing backend as it is), as upstream's patch of its
   * Go struct does.
   */
  @Override
  protected String endpointPatch(String host, int port) {
    return "{\"spec\":{\"backend\":{},\"controlPlaneEndpoint\":{\"host\":\"" + host + "\",\"port\":" + port + "}}}";
  }

  @Override
  protected String otherBackend(DevCluster cluster) {
    // settings are null only for the in-memory backend
    return "spec.backend.inMemory: the in-memory backend is not served by capd-java; use spec.backend.docker";
  }
}
