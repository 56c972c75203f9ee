package io.capdjava.docker.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterStatus;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.Finalizers;
import io.capdjava.core.Owners;
import io.capdjava.core.Paused;
import io.capdjava.core.StatusPatch;
import io.capdjava.docker.Labels;
import io.capdjava.docker.loadbalancer.LoadBalancer;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DockerCluster: the cluster's load balancer container and the control-plane endpoint it provides. Phases: observe
 * (owner Cluster, pausing, deletion), reconcile (network, load balancer, endpoint, failure domains), record status.
 */
// every event, deletions included, reaches reconcile: upstream's finalizer names have no slash, so JOSDK cannot
// manage them, and it would otherwise skip objects being deleted
@ControllerConfiguration(name = "dockercluster", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DockerClusterReconciler implements Reconciler<DockerCluster> {
  public static final String LOAD_BALANCER_AVAILABLE = "LoadBalancerAvailable";
  private static final Logger LOG = LoggerFactory.getLogger(DockerClusterReconciler.class);

  private final KubernetesClient client;
  private final ContainerRuntime runtime;
  private final SecurityProfile security;

  public DockerClusterReconciler(KubernetesClient client, ContainerRuntime runtime, SecurityProfile security) {
    this.client = client;
    this.runtime = runtime;
    this.security = security;
  }

  @Override
  public List<EventSource<?, DockerCluster>> prepareEventSources(EventSourceContext<DockerCluster> context) {
    // a Cluster that gets paused, unpaused or created after its DockerCluster wakes the DockerCluster up
    var clusters = new InformerEventSource<>(InformerEventSourceConfiguration.from(Cluster.class, DockerCluster.class)
        .withSecondaryToPrimaryMapper(c -> c.getSpec() == null || c.getSpec().infrastructureRef == null
            || !"DockerCluster".equals(c.getSpec().infrastructureRef.kind)
            ? Set.of()
            : Set.of(new ResourceID(c.getSpec().infrastructureRef.name, c.getMetadata().getNamespace())))
        .build(), context);
    return List.of(clusters);
  }

  @Override
  public UpdateControl<DockerCluster> reconcile(DockerCluster dockerCluster, Context<DockerCluster> context) {
    if (context.isPrimaryResourceDeleted()) return UpdateControl.noUpdate();
    if (dockerCluster.getMetadata().getAnnotations() != null
        && dockerCluster.getMetadata().getAnnotations().containsKey(Contract.Annotation.MANAGED_BY)) {
      return UpdateControl.noUpdate();
    }
    JsonNode before = StatusPatch.snapshot(dockerCluster);
    if (dockerCluster.getStatus() == null) dockerCluster.setStatus(new DockerClusterStatus());
    Optional<Cluster> cluster = Owners.clusterFromOwner(client, dockerCluster);

    if (dockerCluster.getMetadata().getDeletionTimestamp() != null) {
      return delete(dockerCluster, cluster);
    }
    if (cluster.isEmpty()) {
      LOG.debug("{}: waiting for the Cluster controller to set the owner reference", name(dockerCluster));
      return UpdateControl.noUpdate();
    }
    dockerCluster = Finalizers.ensure(client, dockerCluster, Contract.Finalizer.DOCKER_CLUSTER);
    if (dockerCluster.getStatus() == null) dockerCluster.setStatus(new DockerClusterStatus());

    DockerClusterStatus status = dockerCluster.getStatus();
    Long generation = dockerCluster.getMetadata().getGeneration();
    status.conditions = Conditions.set(status.conditions, Paused.condition(cluster.get(), dockerCluster));
    if (Paused.isPaused(cluster.get(), dockerCluster)) return StatusPatch.ifChanged(before, dockerCluster);

    status.failureDomains = dockerCluster.getSpec() == null ? null : dockerCluster.getSpec().failureDomains;
    try {
      String clusterName = cluster.get().getMetadata().getName();
      ContainerInfo lb = new LoadBalancer(runtime, clusterName).ensure(image(dockerCluster), security);
      String address = lb.ipv4On(Labels.NETWORK);
      if (address.isEmpty()) {
        throw new IllegalStateException("load balancer container " + lb.name() + " has no address on network "
            + Labels.NETWORK);
      }
      ensureEndpoint(dockerCluster, address);
      status.initialization = new DockerClusterInitializationStatus();
      status.initialization.provisioned = true;
      Conditions.set(status.conditions, Conditions.isTrue(LOAD_BALANCER_AVAILABLE, "Available", generation));
    } catch (RuntimeException e) {
      LOG.warn("{}: load balancer not available: {}", name(dockerCluster), e.getMessage());
      Conditions.set(status.conditions,
          Conditions.isFalse(LOAD_BALANCER_AVAILABLE, "NotAvailable", "Failed to create load balancer: "
              + e.getMessage(), generation));
    }
    Conditions.set(status.conditions, Conditions.summary(status.conditions, generation, LOAD_BALANCER_AVAILABLE));
    UpdateControl<DockerCluster> update = StatusPatch.ifChanged(before, dockerCluster);
    return Conditions.isTrue(status.conditions, LOAD_BALANCER_AVAILABLE) ? update
        : update.rescheduleAfter(Duration.ofSeconds(10));
  }

  /** The endpoint is the load balancer's address on the cluster network; a user-set host is left alone. */
  private void ensureEndpoint(DockerCluster dockerCluster, String address) {
    APIEndpoint current = dockerCluster.getSpec() == null ? null : dockerCluster.getSpec().controlPlaneEndpoint;
    if (current != null && current.host != null && !current.host.isEmpty() && current.port != null) return;
    int port = current == null || current.port == null || current.port == 0 ? 6443 : current.port;
    String host = current == null || current.host == null || current.host.isEmpty() ? address : current.host;
    DockerCluster patched = client.resources(DockerCluster.class).inNamespace(dockerCluster.getMetadata().getNamespace())
        .withName(dockerCluster.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"controlPlaneEndpoint\":{\"host\":\"" + host + "\",\"port\":" + port + "}}}");
    // the status patch that follows must not conflict with this change
    dockerCluster.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    dockerCluster.getSpec().controlPlaneEndpoint = new APIEndpoint(host, port);
  }

  private UpdateControl<DockerCluster> delete(DockerCluster dockerCluster, Optional<Cluster> cluster) {
    String clusterName = cluster.map(c -> c.getMetadata().getName()).orElseGet(() -> ownerClusterName(dockerCluster));
    if (clusterName != null) new LoadBalancer(runtime, clusterName).remove();
    Finalizers.remove(client, dockerCluster, Contract.Finalizer.DOCKER_CLUSTER);
    LOG.info("{}: load balancer removed", name(dockerCluster));
    return UpdateControl.noUpdate();
  }

  /** The Cluster's name from the owner reference, for when the Cluster object is already gone. */
  private static String ownerClusterName(DockerCluster dockerCluster) {
    return Owners.ownerReference(dockerCluster, "Cluster").map(r -> r.getName())
        .orElseGet(() -> Owners.clusterName(dockerCluster).orElse(null));
  }

  private static String image(DockerCluster dockerCluster) {
    var lb = dockerCluster.getSpec() == null ? null : dockerCluster.getSpec().loadBalancer;
    return LoadBalancer.image(lb == null ? null : lb.imageRepository, lb == null ? null : lb.imageTag);
  }

  private static String name(DockerCluster dc) {
    return dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
  }
}
