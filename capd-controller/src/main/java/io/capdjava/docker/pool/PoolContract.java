package io.capdjava.docker.pool;

/** Names the MachinePool contract uses (upstream's spellings). */
public final class PoolContract {
  private PoolContract() {}

  /** On a MachinePool's infrastructure machines and Machines: the MachinePool's name. */
  public static final String POOL_NAME_LABEL = "cluster.x-k8s.io/pool-name";
  /** Upstream's finalizer of DockerMachinePool and DevMachinePool. */
  public static final String FINALIZER = "dockermachinepool.infrastructure.cluster.x-k8s.io";
  /** ReplicasReady: every wanted instance exists and has a provider ID. */
  public static final String REPLICAS_READY = "ReplicasReady";
}
