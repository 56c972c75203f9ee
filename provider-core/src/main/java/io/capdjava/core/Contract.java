package io.capdjava.core;

/** The one place for the names the CAPI contract fixes: label and annotation keys, finalizers, secrets, conditions. */
public final class Contract {
  private Contract() {}

  public static final String CORE_GROUP = "cluster.x-k8s.io";
  public static final String INFRASTRUCTURE_GROUP = "infrastructure.cluster.x-k8s.io";
  public static final String BOOTSTRAP_GROUP = "bootstrap.cluster.x-k8s.io";
  public static final String CONTROL_PLANE_GROUP = "controlplane.cluster.x-k8s.io";

  /** Label keys. */
  public static final class Label {
    private Label() {}

    public static final String CLUSTER_NAME = "cluster.x-k8s.io/cluster-name";
    public static final String CONTROL_PLANE = "cluster.x-k8s.io/control-plane";
    public static final String CONTROL_PLANE_NAME = "cluster.x-k8s.io/control-plane-name";
    public static final String DEPLOYMENT_NAME = "cluster.x-k8s.io/deployment-name";
    public static final String SET_NAME = "cluster.x-k8s.io/set-name";
    public static final String WATCH_FILTER = "cluster.x-k8s.io/watch-filter";
    public static final String PROVIDER = "cluster.x-k8s.io/provider";
    /** On our CRDs: the contract version each serves ({@code cluster.x-k8s.io/v1beta2: v1beta2}). */
    public static final String CONTRACT_V1BETA2 = "cluster.x-k8s.io/v1beta2";
  }

  /** Annotation keys. */
  public static final class Annotation {
    private Annotation() {}

    public static final String PAUSED = "cluster.x-k8s.io/paused";
    public static final String MANAGED_BY = "cluster.x-k8s.io/managed-by";
    public static final String CLONED_FROM_NAME = "cluster.x-k8s.io/cloned-from-name";
    public static final String CLONED_FROM_GROUP_KIND = "cluster.x-k8s.io/cloned-from-groupkind";
    public static final String DELETE_FOR_MOVE = "clusterctl.cluster.x-k8s.io/delete-for-move";
    public static final String TOPOLOGY_DRY_RUN = "topology.cluster.x-k8s.io/dry-run";
  }

  /** Finalizers of the kinds we serve. */
  public static final class Finalizer {
    private Finalizer() {}

    public static final String DOCKER_CLUSTER = "dockercluster.infrastructure.cluster.x-k8s.io";
    public static final String DOCKER_MACHINE = "dockermachine.infrastructure.cluster.x-k8s.io";
    public static final String KUBEADM_CONTROL_PLANE = "kubeadm.controlplane.cluster.x-k8s.io";
  }

  /** Secrets: their type, data key and the names derived from a cluster's name. */
  public static final class Secret {
    private Secret() {}

    /** The type of every secret CAPI and its providers create. */
    public static final String TYPE = "cluster.x-k8s.io/secret";
    /** The data key of kubeconfig and bootstrap data secrets. */
    public static final String VALUE_KEY = "value";
    /** The bootstrap data secret's format key ({@code cloud-config} or {@code ignition}). */
    public static final String FORMAT_KEY = "format";
    public static final String TLS_CERT_KEY = "tls.crt";
    public static final String TLS_KEY_KEY = "tls.key";

    public static String kubeconfig(String cluster) {
      return cluster + "-kubeconfig";
    }

    public static String clusterCa(String cluster) {
      return cluster + "-ca";
    }

    public static String etcdCa(String cluster) {
      return cluster + "-etcd";
    }

    public static String frontProxyCa(String cluster) {
      return cluster + "-proxy";
    }

    public static String serviceAccount(String cluster) {
      return cluster + "-sa";
    }
  }

  /** Condition types and reasons shared by every kind (v1beta2 shape). */
  public static final class Condition {
    private Condition() {}

    public static final String READY = "Ready";
    public static final String PAUSED = "Paused";
    public static final String READY_REASON = "Ready";
    public static final String NOT_READY_REASON = "NotReady";
    public static final String READY_UNKNOWN_REASON = "ReadyUnknown";
    public static final String PAUSED_REASON = "Paused";
    public static final String NOT_PAUSED_REASON = "NotPaused";
    public static final String DELETING_REASON = "Deleting";
    public static final String INTERNAL_ERROR_REASON = "InternalError";
  }
}
