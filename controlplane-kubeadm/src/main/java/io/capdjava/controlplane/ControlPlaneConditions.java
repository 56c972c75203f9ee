package io.capdjava.controlplane;

import java.util.List;

/**
 * The condition types and reasons of a KubeadmControlPlane and of the conditions KCP sets on its Machines, with
 * upstream's names ({@code api/controlplane/kubeadm/v1beta2/kubeadm_control_plane_types.go}).
 */
public final class ControlPlaneConditions {
  private ControlPlaneConditions() {}

  // KubeadmControlPlane condition types.
  public static final String AVAILABLE = "Available";
  public static final String INITIALIZED = "Initialized";
  public static final String CERTIFICATES_AVAILABLE = "CertificatesAvailable";
  public static final String ETCD_CLUSTER_HEALTHY = "EtcdClusterHealthy";
  public static final String CONTROL_PLANE_COMPONENTS_HEALTHY = "ControlPlaneComponentsHealthy";
  public static final String MACHINES_READY = "MachinesReady";
  public static final String MACHINES_UP_TO_DATE = "MachinesUpToDate";
  public static final String ROLLING_OUT = "RollingOut";
  public static final String SCALING_UP = "ScalingUp";
  public static final String SCALING_DOWN = "ScalingDown";
  public static final String REMEDIATING = "Remediating";
  public static final String DELETING = "Deleting";

  // Reasons shared by several types.
  public static final String AVAILABLE_REASON = "Available";
  public static final String NOT_AVAILABLE_REASON = "NotAvailable";
  public static final String INSPECTION_FAILED_REASON = "InspectionFailed";
  public static final String CONNECTION_DOWN_REASON = "ConnectionDown";
  public static final String HEALTHY_REASON = "Healthy";
  public static final String NOT_HEALTHY_REASON = "NotHealthy";
  public static final String HEALTH_UNKNOWN_REASON = "HealthUnknown";
  public static final String INTERNAL_ERROR_REASON = "InternalError";
  public static final String NO_REPLICAS_REASON = "NoReplicas";
  public static final String WAITING_FOR_REPLICAS_SET_REASON = "WaitingForReplicasSet";

  public static final String INITIALIZED_REASON = "Initialized";
  public static final String NOT_INITIALIZED_REASON = "NotInitialized";
  public static final String READY_REASON = "Ready";
  public static final String NOT_READY_REASON = "NotReady";
  public static final String READY_UNKNOWN_REASON = "ReadyUnknown";
  public static final String UP_TO_DATE_REASON = "UpToDate";
  public static final String NOT_UP_TO_DATE_REASON = "NotUpToDate";
  public static final String UP_TO_DATE_UNKNOWN_REASON = "UpToDateUnknown";
  public static final String ROLLING_OUT_REASON = "RollingOut";
  public static final String NOT_ROLLING_OUT_REASON = "NotRollingOut";
  public static final String SCALING_UP_REASON = "ScalingUp";
  public static final String NOT_SCALING_UP_REASON = "NotScalingUp";
  public static final String SCALING_DOWN_REASON = "ScalingDown";
  public static final String NOT_SCALING_DOWN_REASON = "NotScalingDown";
  public static final String NOT_REMEDIATING_REASON = "NotRemediating";
  public static final String REMEDIATING_REASON = "Remediating";
  public static final String NOT_DELETING_REASON = "NotDeleting";
  public static final String WAITING_FOR_WORKERS_DELETION_REASON = "WaitingForWorkersDeletion";
  public static final String WAITING_FOR_MACHINE_DELETION_REASON = "WaitingForMachineDeletion";
  public static final String DELETION_COMPLETED_REASON = "DeletionCompleted";

  // Conditions KCP sets on each of its Machines (also its mandatory readiness gates).
  public static final String MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET = "NodeKubeadmLabelsAndTaintsSet";
  public static final String MACHINE_API_SERVER_POD_HEALTHY = "APIServerPodHealthy";
  public static final String MACHINE_CONTROLLER_MANAGER_POD_HEALTHY = "ControllerManagerPodHealthy";
  public static final String MACHINE_SCHEDULER_POD_HEALTHY = "SchedulerPodHealthy";
  public static final String MACHINE_ETCD_POD_HEALTHY = "EtcdPodHealthy";
  public static final String MACHINE_ETCD_MEMBER_HEALTHY = "EtcdMemberHealthy";
  public static final String MACHINE_POD_RUNNING_REASON = "Running";
  public static final String MACHINE_POD_PROVISIONING_REASON = "Provisioning";
  public static final String MACHINE_POD_DOES_NOT_EXIST_REASON = "DoesNotExist";
  public static final String MACHINE_POD_FAILED_REASON = "Failed";
  public static final String MACHINE_DELETING_REASON = "Deleting";
  public static final String MACHINE_LABELS_AND_TAINTS_SET_REASON = "Set";
  public static final String MACHINE_LABELS_AND_TAINTS_NOT_SET_REASON = "NotSet";
  public static final String MACHINE_NOT_UP_TO_DATE_REASON = "NotUpToDate";
  public static final String MACHINE_UP_TO_DATE_REASON = "UpToDate";
  public static final String MACHINE_UPDATING_REASON = "Updating";
  // Reasons of the OwnerRemediated condition KCP sets on the Machines a MachineHealthCheck hands over to it.
  public static final String MACHINE_REMEDIATION_DEFERRED_REASON = "RemediationDeferred";
  public static final String MACHINE_CANNOT_BE_REMEDIATED_REASON = "CannotBeRemediated";
  public static final String MACHINE_REMEDIATION_MACHINE_DELETING_REASON = "MachineDeleting";
  public static final String MACHINE_REMEDIATION_INTERNAL_ERROR_REASON = "InternalError";

  /** The readiness gates KCP always sets, in upstream's order (etcd ones only with stacked etcd). */
  public static List<String> mandatoryReadinessGates(boolean etcdManaged) {
    return etcdManaged
        ? List.of(MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET, MACHINE_API_SERVER_POD_HEALTHY,
            MACHINE_CONTROLLER_MANAGER_POD_HEALTHY, MACHINE_SCHEDULER_POD_HEALTHY, MACHINE_ETCD_POD_HEALTHY,
            MACHINE_ETCD_MEMBER_HEALTHY)
        : List.of(MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET, MACHINE_API_SERVER_POD_HEALTHY,
            MACHINE_CONTROLLER_MANAGER_POD_HEALTHY, MACHINE_SCHEDULER_POD_HEALTHY);
  }

  /** The conditions of the static pods on a Machine, in upstream's order (etcd's only with stacked etcd). */
  public static List<String> staticPodConditions(boolean etcdManaged) {
    return etcdManaged
        ? List.of(MACHINE_API_SERVER_POD_HEALTHY, MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
            MACHINE_SCHEDULER_POD_HEALTHY, MACHINE_ETCD_POD_HEALTHY)
        : List.of(MACHINE_API_SERVER_POD_HEALTHY, MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
            MACHINE_SCHEDULER_POD_HEALTHY);
  }

  /** The Machine conditions that say whether the control plane components on it work. */
  public static List<String> componentHealthConditions(boolean etcdManaged) {
    return etcdManaged
        ? List.of(MACHINE_API_SERVER_POD_HEALTHY, MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
            MACHINE_SCHEDULER_POD_HEALTHY, MACHINE_ETCD_POD_HEALTHY, MACHINE_ETCD_MEMBER_HEALTHY)
        : List.of(MACHINE_API_SERVER_POD_HEALTHY, MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
            MACHINE_SCHEDULER_POD_HEALTHY);
  }
}
