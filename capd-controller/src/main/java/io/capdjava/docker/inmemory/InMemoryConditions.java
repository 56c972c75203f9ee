package io.capdjava.docker.inmemory;

/** The conditions of an in-memory DevMachine and their reasons, as upstream v1.14's in-memory backend names them. */
public final class InMemoryConditions {
  public static final String VM_PROVISIONED = "VMProvisioned";
  public static final String NODE_PROVISIONED = "NodeProvisioned";
  public static final String ETCD_PROVISIONED = "EtcdProvisioned";
  public static final String API_SERVER_PROVISIONED = "APIServerProvisioned";

  public static final String PROVISIONED_REASON = "Provisioned";
  public static final String WAITING_FOR_STARTUP_TIMEOUT_REASON = "WaitingForStartupTimeout";
  public static final String WAITING_FOR_VM_PROVISIONED_REASON = "WaitingForVMProvisioned";
  public static final String WAITING_FOR_NODE_PROVISIONED_REASON = "WaitingForNodeProvisioned";
  public static final String WAITING_FOR_CLUSTER_INFRASTRUCTURE_REASON = "WaitingForClusterInfrastructureReady";
  public static final String WAITING_FOR_CONTROL_PLANE_INITIALIZED_REASON = "WaitingForControlPlaneInitialized";
  public static final String WAITING_FOR_BOOTSTRAP_DATA_REASON = "WaitingForBootstrapData";
  public static final String INTERNAL_ERROR_REASON = "InternalError";

  /**
   * Set on the Machine once its simulated machine is fully up (upstream's name): after a provider restart such a
   * machine comes back at once, without waiting for its startup durations again.
   */
  public static final String MACHINE_BOOTSTRAPPED_ANNOTATION = "machine.inmemory.infrastructure.cluster.x-k8s.io/bootstrapped";
  /** The listener a DevCluster's API server answers on (upstream's annotation; {@code namespace/name}). */
  public static final String LISTENER_ANNOTATION = "inmemorycluster.infrastructure.cluster.x-k8s.io/listener";

  private InMemoryConditions() {}
}
