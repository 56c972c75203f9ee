package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.docker.inmemory.InMemoryClusterBackend;
import io.capdjava.docker.inmemory.workload.SimulatedClusters;
import io.capdjava.docker.kinds.ClusterSettings;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Duration;
import java.util.Optional;

/**
 * DevCluster (upstream v1.14's API): {@code spec.backend.docker} runs the docker backend, as a DockerCluster does;
 * {@code spec.backend.inMemory} the in-memory backend ({@link InMemoryClusterBackend}: a simulated workload cluster
 * served by this process).
 */
// every event, deletions included, reaches reconcile (see DockerClusterReconciler)
@ControllerConfiguration(name = "devcluster", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DevClusterReconciler extends DockerBackendClusterReconciler<DevCluster> {
  private final InMemoryClusterBackend inMemory;

  public DevClusterReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, EventRecorder events, SimulatedClusters simulatedClusters) {
    super(client, informers, runtime, security, events);
    this.inMemory = new InMemoryClusterBackend(client, simulatedClusters);
  }

  @Override
  protected Class<DevCluster> type() {
    return DevCluster.class;
  }

  @Override
  protected ClusterSettings settings(DevCluster cluster) {
    return ClusterSettings.of(cluster);
  }

  static boolean inMemory(DevCluster cluster) {
    return cluster.getSpec() != null && cluster.getSpec().backend != null && cluster.getSpec().backend.inMemory != null;
  }

  @Override
  protected String[] readySummarises(DevCluster cluster) {
    // the in-memory backend has no load balancer: Ready once its listener is bound
    return inMemory(cluster) ? new String[0] : readySummarises();
  }

  @Override
  protected void validate(Scope<DevCluster> scope) {
    if (!inMemory(scope.dockerCluster())) super.validate(scope);
  }

  @Override
  protected Optional<Duration> reconcileNormal(Scope<DevCluster> scope) {
    if (!inMemory(scope.dockerCluster())) return super.reconcileNormal(scope);
    inMemory.reconcileNormal(scope.dockerCluster(), scope.clusterName());
    return Optional.empty();
  }

  @Override
  protected Optional<Duration> reconcileDelete(Scope<DevCluster> scope) {
    if (!inMemory(scope.dockerCluster())) return super.reconcileDelete(scope);
    inMemory.reconcileDelete(scope.dockerCluster(), scope.clusterName());
    return Optional.empty();
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
}
