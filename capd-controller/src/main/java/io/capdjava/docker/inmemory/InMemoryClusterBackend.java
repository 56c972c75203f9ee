package io.capdjava.docker.inmemory;

import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DevClusterInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DevClusterStatus;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.CrashPoints;
import io.capdjava.core.reconcile.PhaseFailure;
import io.capdjava.docker.inmemory.workload.ResourceTypes;
import io.capdjava.docker.inmemory.workload.SimulatedCluster;
import io.capdjava.docker.inmemory.workload.SimulatedClusters;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * The in-memory backend of a DevCluster ({@code spec.backend.inMemory}; upstream v1.14's): a simulated workload
 * cluster in this process, its API server's listener bound on a port of its own; that address is the control plane
 * endpoint. The listener serves once a control plane machine's API server is up (see {@link InMemoryMachineBackend}).
 * After a restart the listener is bound again on the port the endpoint names; the machines bring their parts back.
 */
public final class InMemoryClusterBackend {
  private static final List<String> DEFAULT_NAMESPACES = List.of("default", "kube-public", "kube-system",
      "kube-node-lease");

  private final KubernetesClient client;
  private final SimulatedClusters clusters;

  public InMemoryClusterBackend(KubernetesClient client, SimulatedClusters clusters) {
    this.client = client;
    this.clusters = clusters;
  }

  public void reconcileNormal(DevCluster devCluster, String clusterName) {
    String namespace = devCluster.getMetadata().getNamespace();
    APIEndpoint endpoint = devCluster.getSpec() == null ? null : devCluster.getSpec().controlPlaneEndpoint;
    boolean endpointSet = endpoint != null && endpoint.host != null && !endpoint.host.isEmpty() && endpoint.port != null
        && endpoint.port > 0;
    if (endpointSet && !endpoint.host.equals(clusters.host())) {
      // the kubeconfig and certificates name that host; a provider that now listens elsewhere cannot serve it
      throw new PhaseFailure(Contract.Condition.READY, Conditions.FALSE, "EndpointUnreachable",
          "spec.controlPlaneEndpoint.host " + endpoint.host + " is not this provider's in-memory listener address "
              + clusters.host() + " (set --in-memory-host to it)", null);
    }
    SimulatedCluster simulated;
    try {
      simulated = clusters.getOrCreate(namespace, clusterName, endpointSet ? endpoint.port : 0);
    } catch (RuntimeException e) {
      throw new PhaseFailure(Contract.Condition.READY, Conditions.FALSE, "ListenerFailed",
          "bind the in-memory API server listener of cluster " + namespace + "/" + clusterName + ": "
              + e.getMessage(), e);
    }
    CrashPoints.reach("in-memory/listener-bound");
    for (String name : DEFAULT_NAMESPACES) {
      simulated.objects().createIfAbsent(ResourceTypes.NAMESPACES, Serialization.jsonMapper().valueToTree(
          new NamespaceBuilder().withNewMetadata().withName(name)
              .withLabels(Map.of("kubernetes.io/metadata.name", name)).endMetadata().build()));
    }
    String listener = namespace + "/" + clusterName;
    boolean annotated = devCluster.getMetadata().getAnnotations() != null
        && listener.equals(devCluster.getMetadata().getAnnotations().get(InMemoryConditions.LISTENER_ANNOTATION));
    if (!endpointSet || !annotated) {
      // a DevCluster may come without spec (upstream's templates); a spec needs backend beside the endpoint
      String patch = "{\"metadata\":{\"annotations\":{\"" + InMemoryConditions.LISTENER_ANNOTATION + "\":\""
          + listener + "\"}}" + (endpointSet ? "" : ",\"spec\":{\"backend\":{\"inMemory\":{}},\"controlPlaneEndpoint\":"
          + "{\"host\":\"" + simulated.host() + "\",\"port\":" + simulated.port() + "}}") + "}";
      DevCluster patched = client.resources(DevCluster.class).inNamespace(namespace)
          .withName(devCluster.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      devCluster.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
      devCluster.getMetadata().setGeneration(patched.getMetadata().getGeneration());
    }
    DevClusterStatus status = devCluster.getStatus();
    status.initialization = new DevClusterInitializationStatus();
    status.initialization.provisioned = true;
  }

  /** Closes the cluster's listener and drops its simulated state. */
  public void reconcileDelete(DevCluster devCluster, String clusterName) {
    if (clusterName != null) clusters.remove(devCluster.getMetadata().getNamespace(), clusterName);
  }
}
