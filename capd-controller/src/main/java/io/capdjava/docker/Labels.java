package io.capdjava.docker;

/** The container labels kind and upstream CAPD use; `kind get kubeconfig` and CAPI's e2e log collector rely on them. */
public final class Labels {
  private Labels() {}

  public static final String CLUSTER = "io.x-k8s.kind.cluster";
  public static final String ROLE = "io.x-k8s.kind.role";
  public static final String FAILURE_DOMAIN = "io.x-k8s.cluster.failureDomain";

  public static final String ROLE_LOAD_BALANCER = "external-load-balancer";
  public static final String ROLE_CONTROL_PLANE = "control-plane";
  public static final String ROLE_WORKER = "worker";

  /** The Docker network every workload cluster container joins, as kind's. */
  public static final String NETWORK = "kind";
}
