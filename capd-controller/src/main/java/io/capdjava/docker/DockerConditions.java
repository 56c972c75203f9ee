package io.capdjava.docker;

/** The condition types and reasons of the Docker provider's kinds, in one place (upstream v1beta2 spellings). */
public final class DockerConditions {
  private DockerConditions() {}

  /** DockerCluster: the load balancer container runs and has an address. */
  public static final String LOAD_BALANCER_AVAILABLE = "LoadBalancerAvailable";
  public static final String AVAILABLE_REASON = "Available";
  public static final String NOT_AVAILABLE_REASON = "NotAvailable";

  /** DockerMachine: the node container exists and runs. */
  public static final String CONTAINER_PROVISIONED = "ContainerProvisioned";
  public static final String PROVISIONED_REASON = "Provisioned";
  public static final String NOT_PROVISIONED_REASON = "NotProvisioned";
  public static final String WAITING_FOR_CLUSTER_INFRASTRUCTURE_REASON = "WaitingForClusterInfrastructureReady";
  public static final String WAITING_FOR_CONTROL_PLANE_INITIALIZED_REASON = "WaitingForControlPlaneInitialized";
  public static final String WAITING_FOR_BOOTSTRAP_DATA_REASON = "WaitingForBootstrapData";

  /** DockerMachine: the bootstrap data ran in the node container. */
  public static final String BOOTSTRAP_EXEC_SUCCEEDED = "BootstrapExecSucceeded";
  public static final String SUCCEEDED_REASON = "Succeeded";
  public static final String NOT_SUCCEEDED_REASON = "NotSucceeded";
  public static final String CANCELLED_REASON = "Cancelled";
  public static final String WAITING_FOR_MULTI_USER_TARGET_REASON = "WaitingForMultiUserTarget";
}
