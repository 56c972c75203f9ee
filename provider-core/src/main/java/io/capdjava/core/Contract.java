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
    /** On a Machine: remediate it now (a MachineHealthCheck marks it), and before other unhealthy Machines. */
    public static final String REMEDIATE_MACHINE = "cluster.x-k8s.io/remediate-machine";
    /** On a Machine: delete this one first when scaling down or rolling out. */
    public static final String DELETE_MACHINE = "cluster.x-k8s.io/delete-machine";
    /** Prefix of the annotations that hold a deleting Machine before its infrastructure goes. */
    public static final String PRE_TERMINATE_HOOK_PREFIX = "pre-terminate.delete.hook.machine.cluster.x-k8s.io";
    /**
     * On a bootstrap config (or a Machine, set by users): when the Machine's certificates expire, RFC 3339; CAPI core
     * copies it to {@code Machine.status.certificatesExpiryDate}.
     */
    public static final String CERTIFICATES_EXPIRY = "machine.cluster.x-k8s.io/certificates-expiry";
    /** On a Cluster with a topology: the version of the upgrade step in progress. */
    public static final String TOPOLOGY_UPGRADE_STEP = "topology.internal.cluster.x-k8s.io/upgrade-step";
  }

  /** Condition types CAPI core sets on Machines (v1beta2), read by control planes. */
  public static final class MachineCondition {
    private MachineCondition() {}

    public static final String READY = "Ready";
    public static final String AVAILABLE = "Available";
    public static final String UP_TO_DATE = "UpToDate";
    public static final String DELETING = "Deleting";
    public static final String HEALTH_CHECK_SUCCEEDED = "HealthCheckSucceeded";
    public static final String OWNER_REMEDIATED = "OwnerRemediated";
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
    /** True while the object is being deleted; its message says what is being removed or could not be. */
    public static final String DELETING = "Deleting";
    public static final String READY_REASON = "Ready";
    public static final String NOT_READY_REASON = "NotReady";
    public static final String READY_UNKNOWN_REASON = "ReadyUnknown";
    public static final String PAUSED_REASON = "Paused";
    public static final String NOT_PAUSED_REASON = "NotPaused";
    public static final String DELETING_REASON = "Deleting";
    public static final String INTERNAL_ERROR_REASON = "InternalError";
  }

  /** The kubeadm bootstrap provider (KubeadmConfig): its conditions, the init lock, and what it reads elsewhere. */
  public static final class Bootstrap {
    private Bootstrap() {}

    public static final String DATA_SECRET_AVAILABLE = "DataSecretAvailable";
    public static final String CERTIFICATES_AVAILABLE = "CertificatesAvailable";
    public static final String AVAILABLE_REASON = "Available";
    public static final String NOT_AVAILABLE_REASON = "NotAvailable";
    public static final String INTERNAL_ERROR_REASON = "InternalError";
    /** Ours, for a spec the provider cannot turn into bootstrap data; the message names the field. */
    public static final String INVALID_SPEC_REASON = "InvalidSpec";
    /** On the Cluster: set by CAPI core once the first control plane machine is up. */
    public static final String CLUSTER_CONTROL_PLANE_INITIALIZED = "ControlPlaneInitialized";
    /** The bootstrap data secret's formats. */
    public static final String FORMAT_CLOUD_CONFIG = "cloud-config";
    public static final String FORMAT_IGNITION = "ignition";
    /** The ConfigMap that lets only one machine run kubeadm init, and its data key. */
    public static final String INIT_LOCK_KEY = "lock-information";
    /** Taint on joining workers until CAPI core has synced the Node's labels. */
    public static final String NODE_UNINITIALIZED_TAINT = "node.cluster.x-k8s.io/uninitialized";

    public static String initLock(String cluster) {
      return cluster + "-lock";
    }
  }

  /** Kubernetes' bootstrap token secrets (k8s.io/cluster-bootstrap), created in a workload cluster's kube-system. */
  public static final class BootstrapToken {
    private BootstrapToken() {}

    public static final String NAMESPACE = "kube-system";
    public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    public static final String TOKEN_ID_KEY = "token-id";
    public static final String TOKEN_SECRET_KEY = "token-secret";
    public static final String EXPIRATION_KEY = "expiration";
    public static final String USAGE_SIGNING_KEY = "usage-bootstrap-signing";
    public static final String USAGE_AUTHENTICATION_KEY = "usage-bootstrap-authentication";
    public static final String EXTRA_GROUPS_KEY = "auth-extra-groups";
    public static final String DESCRIPTION_KEY = "description";
    public static final String KUBEADM_NODE_GROUP = "system:bootstrappers:kubeadm:default-node-token";
    public static final String DESCRIPTION = "token generated by cluster-api-bootstrap-provider-kubeadm";

    public static String secretName(String tokenId) {
      return "bootstrap-token-" + tokenId;
    }
  }
}
