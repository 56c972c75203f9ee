package io.capdjava.docker.reconcile;

import io.capdjava.core.CachedReads;
import io.capdjava.core.CrashPoints;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.manager.PhaseDurations;
import io.capdjava.docker.DockerConditions;
import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.infrastructure.v1beta2.DevClusterInitializationStatus;
import io.capdjava.api.infrastructure.v1beta2.DevClusterStatus;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.Owners;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.reconcile.PhaseFailure;
import io.capdjava.core.reconcile.ProviderReconciler;
import io.capdjava.docker.Labels;
import io.capdjava.docker.kinds.ClusterSettings;
import io.capdjava.docker.loadbalancer.LoadBalancer;
import io.capdjava.docker.loadbalancer.LoadBalancerConfiguration;
import io.capdjava.docker.runtime.Ipv4Subnet;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The docker backend of a cluster, for both kinds that ask for it: DockerCluster and a DevCluster with
 * {@code spec.backend.docker} (one implementation; the subclasses say how their kind carries the settings): the
 * cluster's load balancer container and the control-plane endpoint it provides. Phases (in the
 * {@link ProviderReconciler} skeleton): observe the owner Cluster; reconcile the network, load balancer, endpoint and
 * failure domains; on deletion remove the load balancer.
 *
 * @param <C> the cluster kind
 */
public abstract class DockerBackendClusterReconciler<C extends CustomResource<?, DevClusterStatus>>
    extends ProviderReconciler<C, DockerBackendClusterReconciler.Scope<C>> {
  private static final Logger LOG = LoggerFactory.getLogger(DockerBackendClusterReconciler.class);
  private static final Duration ADDRESS_WAIT = Duration.ofSeconds(10);
  /**
   * How often a healthy load balancer is looked at besides the engine's events: a stopped or removed one is back within
   * this even when its event was missed.
   */
  static final Duration LOAD_BALANCER_CHECK = Duration.ofSeconds(60);

  private final SharedInformers informers;
  private final ContainerRuntime runtime;
  private final SecurityProfile security;
  private final LoadBalancerConfiguration loadBalancers;

  /**
   * The object with its docker settings (null when it asks for another backend) and its Cluster's name (known from
   * the owner reference even when the Cluster is gone).
   */
  record Scope<C>(C dockerCluster, ClusterSettings settings, String clusterName) {}

  protected DockerBackendClusterReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, EventRecorder events) {
    super(client, events);
    this.informers = informers;
    this.runtime = runtime;
    this.security = security;
    this.loadBalancers = new LoadBalancerConfiguration(client, runtime);
  }

  /** The kind reconciled, as Clusters' {@code spec.infrastructureRef.kind} names it. */
  protected abstract Class<C> type();

  /** The docker backend settings of the object; null when it asks for another backend. */
  protected abstract ClusterSettings settings(C cluster);

  /** Why an object without docker settings is not served, naming the field. */
  protected String otherBackend(C cluster) {
    return "spec.backend.docker is not set: this provider runs the docker backend only";
  }

  @Override
  public List<EventSource<?, C>> prepareEventSources(EventSourceContext<C> context) {
    // a Cluster that gets paused, unpaused or created after its infrastructure cluster wakes that one up
    String kind = HasMetadata.getKind(type());
    var clusters = informers.<Cluster, C>eventSource("clusters", Cluster.class,
        c -> c.getSpec() == null || c.getSpec().infrastructureRef == null
            || !kind.equals(c.getSpec().infrastructureRef.kind)
            ? Set.of()
            : Set.of(new ResourceID(c.getSpec().infrastructureRef.name, c.getMetadata().getNamespace())));
    // a load balancer container that stops or vanishes is brought back at once (the periodic look stays as a net)
    var loadBalancers = new ContainerEventSource<C>(runtime, event -> !event.stoppedRunning()
        || !Labels.ROLE_LOAD_BALANCER.equals(event.labels().get(Labels.ROLE))
        ? Set.of()
        : context.getPrimaryCache().list(c -> event.labels().get(Labels.CLUSTER).equals(ownerClusterName(c)))
            .map(ResourceID::fromResource).collect(java.util.stream.Collectors.toSet()));
    return List.of(clusters, loadBalancers);
  }

  @Override
  protected Observation<Scope<C>> observe(C dockerCluster, Context<C> context) {
    if (dockerCluster.getMetadata().getAnnotations() != null
        && dockerCluster.getMetadata().getAnnotations().containsKey(Contract.Annotation.MANAGED_BY)) {
      return Observation.waitingFor("nothing: the infrastructure is managed externally (cluster.x-k8s.io/managed-by)");
    }
    // the Cluster informer that wakes this controller holds it: no GET per reconcile
    Optional<Cluster> cluster = Owners.ownerReference(dockerCluster, "Cluster").flatMap(r -> CachedReads.get(context,
        client, Cluster.class, dockerCluster.getMetadata().getNamespace(), r.getName()));
    if (dockerCluster.isMarkedForDeletion()) {
      String clusterName = cluster.map(c -> c.getMetadata().getName()).orElseGet(() -> ownerClusterName(dockerCluster));
      return Observation.found(new Scope<>(dockerCluster, settings(dockerCluster), clusterName), cluster.orElse(null));
    }
    if (cluster.isEmpty()) return Observation.waitingFor("the Cluster controller to set the owner reference");
    return Observation.found(new Scope<>(dockerCluster, settings(dockerCluster), cluster.get().getMetadata().getName()),
        cluster.get());
  }

  @Override
  protected String finalizer() {
    return Contract.Finalizer.DOCKER_CLUSTER;
  }

  @Override
  protected List<Condition> conditions(C dockerCluster) {
    if (dockerCluster.getStatus() == null) dockerCluster.setStatus(new DevClusterStatus());
    if (dockerCluster.getStatus().conditions == null) dockerCluster.getStatus().conditions = new ArrayList<>();
    return dockerCluster.getStatus().conditions;
  }

  @Override
  protected String[] readySummarises() {
    return new String[] {DockerConditions.LOAD_BALANCER_AVAILABLE};
  }

  @Override
  protected void validate(Scope<C> scope) {
    if (scope.settings() == null) {
      throw new PhaseFailure(Contract.Condition.READY, Conditions.FALSE, DockerConditions.BACKEND_NOT_SUPPORTED_REASON,
          otherBackend(scope.dockerCluster()), null);
    }
  }

  @Override
  protected Optional<Duration> reconcileNormal(Scope<C> scope) {
    C dockerCluster = scope.dockerCluster();
    ClusterSettings settings = scope.settings();
    DevClusterStatus status = dockerCluster.getStatus();
    Long generation = dockerCluster.getMetadata().getGeneration();
    status.failureDomains = settings.failureDomains();

    if (endpointHost(settings).isEmpty()) settings = readEndpointFromServer(dockerCluster, settings);
    LoadBalancer loadBalancer = new LoadBalancer(runtime, scope.clusterName());
    ContainerInfo lb = ensureRunning(dockerCluster, settings, scope.clusterName(), loadBalancer);
    String address = lb.ipv4On(Labels.NETWORK);
    if (address.isEmpty()) {
      Conditions.set(status.conditions, Conditions.isFalse(DockerConditions.LOAD_BALANCER_AVAILABLE,
          DockerConditions.NOT_AVAILABLE_REASON,
          "Load balancer container " + lb.name() + " has no address on network " + Labels.NETWORK, generation));
      return Optional.of(ADDRESS_WAIT);
    }
    if (endpointElsewhere(settings, address).isPresent()) {
      // started again by hand, on whichever address was free. Never re-point a cluster (its kubeconfig and
      // certificates name the endpoint): the load balancer goes back to the endpoint's address.
      LOG.info("{}: load balancer {} runs on {}, not on the control plane endpoint's address; re-creating it there",
          dockerCluster.getMetadata().getName(), lb.name(), address);
      removeLoadBalancer(loadBalancer);
      lb = ensureRunning(dockerCluster, settings, scope.clusterName(), loadBalancer);
      address = lb.ipv4On(Labels.NETWORK);
    }
    ensureEndpoint(dockerCluster, settings, address);
    status.initialization = new DevClusterInitializationStatus();
    status.initialization.provisioned = true;
    Conditions.set(status.conditions, Conditions.isTrue(DockerConditions.LOAD_BALANCER_AVAILABLE,
        DockerConditions.AVAILABLE_REASON, generation));
    // the engine's events say when someone stops or removes the container; a dropped events stream may miss one
    return Optional.of(LOAD_BALANCER_CHECK);
  }

  /**
   * The load balancer container, running: created when missing (again, after a removal), and when stopped created
   * again too, on the address the cluster's endpoint names (a stopped container gives its address back, and a plain
   * restart takes whichever is free, possibly another cluster's old one). A new load balancer gets the control plane
   * nodes as backends again.
   */
  private ContainerInfo ensureRunning(C dockerCluster, ClusterSettings settings, String clusterName,
      LoadBalancer loadBalancer) {
    Optional<ContainerInfo> found;
    try {
      found = loadBalancer.findWithCurrentState();
    } catch (RuntimeException e) {
      throw PhaseFailure.of(DockerConditions.LOAD_BALANCER_AVAILABLE, DockerConditions.NOT_AVAILABLE_REASON,
          "find load balancer container " + loadBalancer.containerName(), e);
    }
    if (found.isPresent() && found.get().running()) return found.get();
    Optional<String> endpointAddress = endpointOnClusterNetwork(settings);
    ContainerInfo lb;
    try {
      if (found.isPresent() && endpointAddress.isEmpty()) {
        lb = loadBalancer.start();
        events.warning(dockerCluster, "LoadBalancerRestarted", "Load balancer container " + lb.name()
            + " was stopped (" + found.get().status() + "); started it again");
      } else if (found.isPresent() || endpointAddress.isPresent()) {
        found.ifPresent(stopped -> loadBalancer.remove());
        lb = loadBalancer.create(image(settings), security, endpointAddress.orElse(null));
        events.warning(dockerCluster, "LoadBalancerRecreated", "Load balancer container " + lb.name() + " was "
            + found.map(f -> "stopped (" + f.status() + ")").orElse("gone") + "; created it again"
            + endpointAddress.map(a -> " on " + a + ", the control plane endpoint's address").orElse(""));
      } else {
        lb = loadBalancer.create(image(settings), security);
        CrashPoints.reach("docker/load-balancer-created");
        PhaseDurations.sinceCreation("load_balancer_created", dockerCluster);
        events.normal(dockerCluster, "LoadBalancerCreated", "Created load balancer container " + lb.name());
      }
    } catch (RuntimeException e) {
      String what = endpointAddress.map(a -> "re-create load balancer container " + loadBalancer.containerName()
          + " on the control plane endpoint's address " + a + " (if another container holds it, free it)")
          .orElse("run load balancer container " + loadBalancer.containerName());
      throw PhaseFailure.of(DockerConditions.LOAD_BALANCER_AVAILABLE, DockerConditions.NOT_AVAILABLE_REASON, what, e);
    }
    try {
      if (endpointHost(settings).isPresent()) loadBalancers.reconcile(settings, clusterName);
    } catch (RuntimeException e) {
      throw PhaseFailure.of(DockerConditions.LOAD_BALANCER_AVAILABLE, DockerConditions.NOT_AVAILABLE_REASON,
          "configure load balancer container " + loadBalancer.containerName(), e);
    }
    return lb;
  }

  /** The endpoint's host when it is an address on the cluster network (where the load balancer must be). */
  private Optional<String> endpointOnClusterNetwork(ClusterSettings settings) {
    return endpointHost(settings).filter(host -> runtime.networkSubnets(Labels.NETWORK).stream()
        .anyMatch(subnet -> Ipv4Subnet.contains(subnet, host)));
  }

  /**
   * The endpoint when it names an address on the cluster network other than the load balancer's: the load balancer
   * came back elsewhere. A host the user chose outside that network is theirs and is left alone.
   */
  private Optional<String> endpointElsewhere(ClusterSettings settings, String address) {
    return endpointOnClusterNetwork(settings).filter(host -> !host.equals(address))
        .map(host -> host + ":" + settings.controlPlaneEndpoint().port);
  }

  /**
   * The endpoint as stored: a reconcile may run on a cached copy from before the endpoint was written, and must not
   * take a re-created load balancer's new address for the first one.
   */
  private ClusterSettings readEndpointFromServer(C dockerCluster, ClusterSettings settings) {
    C stored = client.resources(type()).inNamespace(dockerCluster.getMetadata().getNamespace())
        .withName(dockerCluster.getMetadata().getName()).get();
    ClusterSettings storedSettings = stored == null ? null : settings(stored);
    if (storedSettings == null || storedSettings.controlPlaneEndpoint() == null) return settings;
    return settings.withControlPlaneEndpoint(storedSettings.controlPlaneEndpoint());
  }

  private static Optional<String> endpointHost(ClusterSettings settings) {
    APIEndpoint endpoint = settings.controlPlaneEndpoint();
    return endpoint == null || endpoint.host == null || endpoint.host.isEmpty() ? Optional.empty()
        : Optional.of(endpoint.host);
  }

  private static void removeLoadBalancer(LoadBalancer loadBalancer) {
    try {
      loadBalancer.remove();
    } catch (RuntimeException e) {
      throw PhaseFailure.of(DockerConditions.LOAD_BALANCER_AVAILABLE, DockerConditions.NOT_AVAILABLE_REASON,
          "remove load balancer container " + loadBalancer.containerName(), e);
    }
  }

  @Override
  protected Optional<Duration> reconcileDelete(Scope<C> scope) {
    // as upstream: the load balancer condition says it is going
    Conditions.set(conditions(scope.dockerCluster()), Conditions.isFalse(DockerConditions.LOAD_BALANCER_AVAILABLE,
        Contract.Condition.DELETING_REASON, "", scope.dockerCluster().getMetadata().getGeneration()));
    if (scope.clusterName() == null) return Optional.empty();
    LoadBalancer loadBalancer = new LoadBalancer(runtime, scope.clusterName());
    try {
      loadBalancer.remove();
    } catch (RuntimeException e) {
      throw PhaseFailure.deleting("remove load balancer container " + loadBalancer.containerName(), e);
    }
    return Optional.empty();
  }

  /**
   * The endpoint is the load balancer's address on the cluster network; a user-set host is left alone.
   * spec.controlPlaneEndpoint sits at the same path in both kinds.
   */
  private void ensureEndpoint(C dockerCluster, ClusterSettings settings, String address) {
    APIEndpoint current = settings.controlPlaneEndpoint();
    if (current != null && current.host != null && !current.host.isEmpty() && current.port != null) return;
    int port = current == null || current.port == null || current.port == 0 ? 6443 : current.port;
    String host = current == null || current.host == null || current.host.isEmpty() ? address : current.host;
    C patched = client.resources(type()).inNamespace(dockerCluster.getMetadata().getNamespace())
        .withName(dockerCluster.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), endpointPatch(host, port));
    // the status patch that follows must not conflict with this change
    dockerCluster.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    dockerCluster.getMetadata().setGeneration(patched.getMetadata().getGeneration());
  }

  /** The merge patch that records the endpoint in the spec. */
  protected String endpointPatch(String host, int port) {
    return "{\"spec\":{\"controlPlaneEndpoint\":{\"host\":\"" + host + "\",\"port\":" + port + "}}}";
  }

  /** The Cluster's name from the owner reference, for when the Cluster object is already gone. */
  private static String ownerClusterName(HasMetadata dockerCluster) {
    return Owners.ownerReference(dockerCluster, "Cluster").map(r -> r.getName())
        .orElseGet(() -> Owners.clusterName(dockerCluster).orElse(null));
  }

  private static String image(ClusterSettings settings) {
    var lb = settings.loadBalancer();
    return LoadBalancer.image(lb == null ? null : lb.imageRepository, lb == null ? null : lb.imageTag);
  }
}
