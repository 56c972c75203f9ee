package io.capdjava.docker.reconcile;

import io.capdjava.docker.DockerConditions;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterStatus;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.Owners;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.reconcile.PhaseFailure;
import io.capdjava.core.reconcile.ProviderReconciler;
import io.capdjava.docker.Labels;
import io.capdjava.docker.loadbalancer.LoadBalancer;
import io.capdjava.docker.loadbalancer.LoadBalancerConfiguration;
import io.capdjava.docker.runtime.Ipv4Subnet;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * DockerCluster: the cluster's load balancer container and the control-plane endpoint it provides. Phases (in the
 * {@link ProviderReconciler} skeleton): observe the owner Cluster; reconcile the network, load balancer, endpoint and
 * failure domains; on deletion remove the load balancer.
 */
// every event, deletions included, reaches reconcile: upstream's finalizer names have no slash, so JOSDK cannot
// manage them, and it would otherwise skip objects being deleted
@ControllerConfiguration(name = "dockercluster", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DockerClusterReconciler extends ProviderReconciler<DockerCluster, DockerClusterReconciler.Scope> {
  private static final Duration ADDRESS_WAIT = Duration.ofSeconds(10);
  /** How often a healthy load balancer is looked at: a stopped or removed one is back within this. */
  static final Duration LOAD_BALANCER_CHECK = Duration.ofSeconds(15);

  private final ContainerRuntime runtime;
  private final SecurityProfile security;
  private final LoadBalancerConfiguration loadBalancers;

  /** A DockerCluster with its Cluster's name (known from the owner reference even when the Cluster is gone). */
  record Scope(DockerCluster dockerCluster, String clusterName) {}

  public DockerClusterReconciler(KubernetesClient client, ContainerRuntime runtime, SecurityProfile security,
      EventRecorder events) {
    super(client, events);
    this.runtime = runtime;
    this.security = security;
    this.loadBalancers = new LoadBalancerConfiguration(client, runtime);
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
  protected Observation<Scope> observe(DockerCluster dockerCluster, Context<DockerCluster> context) {
    if (dockerCluster.getMetadata().getAnnotations() != null
        && dockerCluster.getMetadata().getAnnotations().containsKey(Contract.Annotation.MANAGED_BY)) {
      return Observation.waitingFor("nothing: the infrastructure is managed externally (cluster.x-k8s.io/managed-by)");
    }
    Optional<Cluster> cluster = Owners.clusterFromOwner(client, dockerCluster);
    if (dockerCluster.isMarkedForDeletion()) {
      String clusterName = cluster.map(c -> c.getMetadata().getName()).orElseGet(() -> ownerClusterName(dockerCluster));
      return Observation.found(new Scope(dockerCluster, clusterName), cluster.orElse(null));
    }
    if (cluster.isEmpty()) return Observation.waitingFor("the Cluster controller to set the owner reference");
    return Observation.found(new Scope(dockerCluster, cluster.get().getMetadata().getName()), cluster.get());
  }

  @Override
  protected String finalizer() {
    return Contract.Finalizer.DOCKER_CLUSTER;
  }

  @Override
  protected List<Condition> conditions(DockerCluster dockerCluster) {
    if (dockerCluster.getStatus() == null) dockerCluster.setStatus(new DockerClusterStatus());
    if (dockerCluster.getStatus().conditions == null) dockerCluster.getStatus().conditions = new ArrayList<>();
    return dockerCluster.getStatus().conditions;
  }

  @Override
  protected String[] readySummarises() {
    return new String[] {DockerConditions.LOAD_BALANCER_AVAILABLE};
  }

  @Override
  protected Optional<Duration> reconcileNormal(Scope scope) {
    DockerCluster dockerCluster = scope.dockerCluster();
    DockerClusterStatus status = dockerCluster.getStatus();
    Long generation = dockerCluster.getMetadata().getGeneration();
    status.failureDomains = dockerCluster.getSpec() == null ? null : dockerCluster.getSpec().failureDomains;

    if (endpointHost(dockerCluster).isEmpty()) readEndpointFromServer(dockerCluster);
    LoadBalancer loadBalancer = new LoadBalancer(runtime, scope.clusterName());
    ContainerInfo lb = ensureRunning(dockerCluster, scope.clusterName(), loadBalancer);
    String address = lb.ipv4On(Labels.NETWORK);
    if (address.isEmpty()) {
      Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.LOAD_BALANCER_AVAILABLE,
          DockerConditions.NOT_AVAILABLE_REASON,
          "Load balancer container " + lb.name() + " has no address on network " + Labels.NETWORK, generation));
      return Optional.of(ADDRESS_WAIT);
    }
    Optional<String> foreignEndpoint = endpointElsewhere(dockerCluster, address);
    if (foreignEndpoint.isPresent()) {
      // never re-point a cluster: its kubeconfig and certificates name the endpoint, which may now be someone else's
      Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.LOAD_BALANCER_AVAILABLE,
          DockerConditions.NOT_AVAILABLE_REASON, "Load balancer container " + lb.name() + " came back on " + address
              + ", but the cluster's control plane endpoint is " + foreignEndpoint.get() + "; free that address"
              + " (remove whatever holds it) so the load balancer can be re-created on it", generation));
      return Optional.of(ADDRESS_WAIT);
    }
    ensureEndpoint(dockerCluster, address);
    status.initialization = new DockerClusterInitializationStatus();
    status.initialization.provisioned = true;
    Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.LOAD_BALANCER_AVAILABLE,
        DockerConditions.AVAILABLE_REASON, generation));
    // nothing tells us when someone stops or removes the container: look again soon
    return Optional.of(LOAD_BALANCER_CHECK);
  }

  /**
   * The load balancer container, running: created when missing (again, after a removal), started when stopped. A new
   * or restarted one gets the control plane nodes as backends again.
   */
  private ContainerInfo ensureRunning(DockerCluster dockerCluster, String clusterName, LoadBalancer loadBalancer) {
    try {
      Optional<ContainerInfo> found = loadBalancer.find();
      if (found.isPresent() && found.get().running()) return found.get();
      ContainerInfo lb;
      if (found.isPresent()) {
        lb = loadBalancer.start();
        events.warning(dockerCluster, "LoadBalancerRestarted", "Load balancer container " + lb.name()
            + " was stopped (" + found.get().status() + "); started it again");
      } else {
        boolean before = endpointHost(dockerCluster).isPresent();
        lb = loadBalancer.create(image(dockerCluster), security);
        if (before) {
          events.warning(dockerCluster, "LoadBalancerRecreated", "Load balancer container " + lb.name()
              + " was gone; created it again");
        } else {
          events.normal(dockerCluster, "LoadBalancerCreated", "Created load balancer container " + lb.name());
        }
      }
      if (endpointHost(dockerCluster).isPresent()) loadBalancers.reconcile(dockerCluster, clusterName);
      return lb;
    } catch (RuntimeException e) {
      throw PhaseFailure.of(DockerConditions.LOAD_BALANCER_AVAILABLE, DockerConditions.NOT_AVAILABLE_REASON,
          "run load balancer container " + loadBalancer.containerName(), e);
    }
  }

  /**
   * The endpoint when it names an address on the cluster network other than the load balancer's: the load balancer
   * came back elsewhere. A host the user chose outside that network is theirs and is left alone.
   */
  private Optional<String> endpointElsewhere(DockerCluster dockerCluster, String address) {
    Optional<String> host = endpointHost(dockerCluster);
    if (host.isEmpty() || host.get().equals(address)) return Optional.empty();
    boolean onClusterNetwork = runtime.networkSubnets(Labels.NETWORK).stream()
        .anyMatch(subnet -> Ipv4Subnet.contains(subnet, host.get()));
    return onClusterNetwork
        ? Optional.of(host.get() + ":" + dockerCluster.getSpec().controlPlaneEndpoint.port) : Optional.empty();
  }

  /**
   * The endpoint as stored: a reconcile may run on a cached copy from before the endpoint was written, and must not
   * take a re-created load balancer's new address for the first one.
   */
  private void readEndpointFromServer(DockerCluster dockerCluster) {
    DockerCluster stored = client.resources(DockerCluster.class).inNamespace(dockerCluster.getMetadata().getNamespace())
        .withName(dockerCluster.getMetadata().getName()).get();
    if (stored == null || stored.getSpec() == null || stored.getSpec().controlPlaneEndpoint == null) return;
    if (dockerCluster.getSpec() == null) dockerCluster.setSpec(new io.capdjava.api.infrastructure.v1beta2.DockerClusterSpec());
    dockerCluster.getSpec().controlPlaneEndpoint = stored.getSpec().controlPlaneEndpoint;
  }

  private static Optional<String> endpointHost(DockerCluster dockerCluster) {
    APIEndpoint endpoint = dockerCluster.getSpec() == null ? null : dockerCluster.getSpec().controlPlaneEndpoint;
    return endpoint == null || endpoint.host == null || endpoint.host.isEmpty() ? Optional.empty()
        : Optional.of(endpoint.host);
  }

  @Override
  protected Optional<Duration> reconcileDelete(Scope scope) {
    if (scope.clusterName() == null) return Optional.empty();
    LoadBalancer loadBalancer = new LoadBalancer(runtime, scope.clusterName());
    try {
      loadBalancer.remove();
    } catch (RuntimeException e) {
      throw PhaseFailure.deleting("remove load balancer container " + loadBalancer.containerName(), e);
    }
    return Optional.empty();
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

  /** The Cluster's name from the owner reference, for when the Cluster object is already gone. */
  private static String ownerClusterName(DockerCluster dockerCluster) {
    return Owners.ownerReference(dockerCluster, "Cluster").map(r -> r.getName())
        .orElseGet(() -> Owners.clusterName(dockerCluster).orElse(null));
  }

  private static String image(DockerCluster dockerCluster) {
    var lb = dockerCluster.getSpec() == null ? null : dockerCluster.getSpec().loadBalancer;
    return LoadBalancer.image(lb == null ? null : lb.imageRepository, lb == null ? null : lb.imageTag);
  }
}
