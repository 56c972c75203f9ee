package io.capdjava.docker;

/**
 * The condition types and reasons of the docker backend's kinds (DevCluster/DockerCluster, DevMachine/DockerMachine),
 * in one place, spelled as upstream v1.14's v1beta2 API has them.
 */
public final class DockerConditions {
  private DockerConditions() {}

  /** DevCluster/DockerCluster: the load balancer container runs and has an address. */
  public static final String LOAD_BALANCER_AVAILABLE = "LoadBalancerAvailable";
  public static final String AVAILABLE_REASON = "Available";
  public static final String NOT_AVAILABLE_REASON = "NotAvailable";

  /** DevMachine/DockerMachine: the node container exists and runs. */
  public static final String CONTAINER_PROVISIONED = "ContainerProvisioned";
  public static final String PROVISIONED_REASON = "Provisioned";
  public static final String NOT_PROVISIONED_REASON = "NotProvisioned";
  /** Ours: the node image is neither on the engine nor pullable; retried until it appears. */
  public static final String NODE_IMAGE_UNAVAILABLE_REASON = "NodeImageUnavailable";
  public static final String WAITING_FOR_CLUSTER_INFRASTRUCTURE_REASON = "WaitingForClusterInfrastructureReady";
  public static final String WAITING_FOR_CONTROL_PLANE_INITIALIZED_REASON = "WaitingForControlPlaneInitialized";
  public static final String WAITING_FOR_BOOTSTRAP_DATA_REASON = "WaitingForBootstrapData";

  /** DevMachine/DockerMachine: systemd in the node container reached its multi-user target. */
  public static final String CGROUPS_READY = "CGroupsReady";
  /** DevMachine/DockerMachine: the images of {@code preLoadImages} are in the node's containerd. */
  public static final String PRELOADED_IMAGES_READY = "PreLoadedImagesReady";
  public static final String READY_REASON = "Ready";
  public static final String NOT_READY_REASON = "NotReady";
  public static final String WAITING_FOR_CONTAINER_REASON = "WaitingForContainer";
  public static final String WAITING_FOR_CGROUPS_REASON = "WaitingForCGroups";

  /** DevMachine/DockerMachine: the bootstrap data ran in the node container (upstream v1beta1: BootstrapExecSucceeded). */
  public static final String BOOTSTRAP_COMPLETED = "BootstrapCompleted";
  public static final String COMPLETED_REASON = "Completed";
  public static final String NOT_COMPLETED_REASON = "NotCompleted";
  public static final String FAILED_REASON = "Failed";
  public static final String WAITING_FOR_PRELOADED_IMAGES_REASON = "WaitingForPreloadedImages";

  /** DevCluster/DevMachine asking for a backend this provider does not run (upstream's in-memory one). */
  public static final String BACKEND_NOT_SUPPORTED_REASON = "BackendNotSupported";
}
