package io.capdjava.controlplane.phases;

import static io.capdjava.controlplane.ControlPlaneConditions.CONNECTION_DOWN_REASON;
import static io.capdjava.controlplane.ControlPlaneConditions.INSPECTION_FAILED_REASON;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.controlplane.health.EtcdInspection;
import io.capdjava.controlplane.health.MachineConditions;
import io.capdjava.controlplane.health.StaticPodInspection;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.controlplane.machines.UpToDateCheck;
import io.capdjava.controlplane.status.KcpStatus;
import io.capdjava.controlplane.workload.WorkloadCluster;
import io.capdjava.controlplane.workload.WorkloadClusters;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conditions KCP owns on its Machines and the health conditions of the KCP (upstream
 * {@code reconcileControlPlaneAndMachinesConditions}): {@code UpToDate} from the rollout check, then, once the control
 * plane is initialized, the Node's kubeadm labels and taints, the static pods and the etcd members read from the
 * workload cluster ({@link StaticPodInspection}, {@link EtcdInspection}), which CAPI core's Machine {@code Ready}
 * waits for through the readiness gates. When the workload cluster does not answer, the last known state is kept for
 * a grace period (ConnectionDown), then overwritten; the reconcile stops there. Only KCP's conditions are written,
 * with the Machine's resourceVersion, so nothing CAPI core wrote meanwhile is lost.
 */
public final class ControlPlaneMachineConditions {
  static final String WAITING_FOR_INITIALIZATION = "Waiting for Cluster control plane to be initialized";
  static final String NOT_ESTABLISHED_YET = "Remote connection not established yet";
  /** Upstream's {@code --remote-conditions-grace-period} default. */
  static final Duration REMOTE_CONDITIONS_GRACE = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMachineConditions.class);

  private final KubernetesClient client;
  private final WorkloadClusters workloads;

  public ControlPlaneMachineConditions(KubernetesClient client, WorkloadClusters workloads) {
    this.client = client;
    this.workloads = workloads;
  }

  /** The workload cluster did not answer; the conditions say so and the reconcile stops. */
  public static final class WorkloadUnreachableException extends IllegalStateException {
    WorkloadUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public void reconcile(ControlPlaneScope scope) {
    Map<String, JsonNode> before = new HashMap<>();
    for (Machine m : scope.machines()) before.put(MachineFacts.name(m), snapshot(m));
    try {
      inspect(scope);
    } finally {
      for (Machine m : scope.machines()) {
        if (!Objects.equals(before.get(MachineFacts.name(m)), snapshot(m))) patch(m);
      }
    }
  }

  private void inspect(ControlPlaneScope scope) {
    for (Machine machine : scope.machines()) {
      upToDate(machine, scope.upToDate(MachineFacts.name(machine)));
    }
    Optional<Condition> initialized = Conditions.get(KcpStatus.conditions(scope.kcp()), ControlPlaneConditions.INITIALIZED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()));
    if (!KcpStatus.initialized(scope.kcp()) || initialized.isEmpty()) {
      toUnknown(scope, true, INSPECTION_FAILED_REASON, WAITING_FOR_INITIALIZATION);
      return;
    }

    List<Node> controlPlaneNodes = null;
    String nodeListError = null;
    WorkloadCluster workload;
    try {
      workload = scope.workload();
      controlPlaneNodes = workload.controlPlaneNodes();
      workloads.reached(scope.namespace(), scope.clusterName(), scope.reconciliationTime());
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) throw unreachable(scope, initialized.get(), e);
      // it answered, but refused: upstream's "failed to list control plane nodes"
      workload = scope.workload();
      nodeListError = e.getMessage();
    } catch (WorkloadClusters.NotConnectedException e) {
      throw unreachable(scope, initialized.get(), e);
    }

    Long generation = scope.kcp().getMetadata().getGeneration();
    StaticPodInspection.Result pods = StaticPodInspection.inspect(scope.machines(), scope.etcdManaged(),
        scope.kubeadmConfigs(), workload, controlPlaneNodes, nodeListError, generation);
    scope.nodes(pods.nodes(), pods.nodeListError());
    KcpStatus.set(scope.kcp(), pods.componentsHealthy());
    if (scope.etcdManaged()) {
      EtcdInspection.Result etcd = EtcdInspection.inspect(scope.machines(), pods.nodes(), pods.nodeListError(),
          workload, generation, scope.reconciliationTime());
      scope.etcd(etcd);
      KcpStatus.set(scope.kcp(), etcd.clusterHealthy());
    }
  }

  /**
   * Upstream with ClusterCache: until the grace period after the last answer (or initialization) the last known
   * conditions stay; afterwards they become Unknown.
   */
  private WorkloadUnreachableException unreachable(ControlPlaneScope scope, Condition initialized, RuntimeException e) {
    Optional<Instant> last = workloads.lastReached(scope.namespace(), scope.clusterName());
    String lastMessage = last.map(t -> "Last successful probe at " + t.truncatedTo(ChronoUnit.SECONDS)).orElse("");
    Instant since = Instant.parse(initialized.getLastTransitionTime());
    if (last.isPresent() && last.get().isAfter(since)) since = last.get();
    if (Duration.between(since, scope.reconciliationTime()).compareTo(REMOTE_CONDITIONS_GRACE) > 0) {
      toUnknown(scope, true, CONNECTION_DOWN_REASON, lastMessage);
    } else {
      toUnknown(scope, false, CONNECTION_DOWN_REASON, last.isEmpty() ? NOT_ESTABLISHED_YET : lastMessage);
    }
    return new WorkloadUnreachableException("connection to the workload cluster " + scope.namespace() + "/"
        + scope.clusterName() + " is down: " + e.getMessage(), e);
  }

  /**
   * Upstream {@code setConditionsToUnknown}: without {@code overwrite} only where the KCP does not report the health
   * condition yet, so a short outage keeps the last known state.
   */
  private static void toUnknown(ControlPlaneScope scope, boolean overwrite, String reason, String message) {
    var kcp = scope.kcp();
    Long generation = kcp.getMetadata().getGeneration();
    boolean etcdSet = Conditions.get(KcpStatus.conditions(kcp), ControlPlaneConditions.ETCD_CLUSTER_HEALTHY).isPresent();
    boolean componentsSet = Conditions.get(KcpStatus.conditions(kcp),
        ControlPlaneConditions.CONTROL_PLANE_COMPONENTS_HEALTHY).isPresent();
    if (overwrite || !etcdSet) {
      KcpStatus.set(kcp, Conditions.of(ControlPlaneConditions.ETCD_CLUSTER_HEALTHY, Conditions.UNKNOWN, reason,
          message, generation));
      if (scope.etcdManaged()) {
        for (Machine m : scope.machines()) {
          MachineConditions.set(m, ControlPlaneConditions.MACHINE_ETCD_MEMBER_HEALTHY, Conditions.UNKNOWN, reason,
              message);
        }
      }
    }
    if (overwrite || !componentsSet) {
      KcpStatus.set(kcp, Conditions.of(ControlPlaneConditions.CONTROL_PLANE_COMPONENTS_HEALTHY, Conditions.UNKNOWN,
          reason, message, generation));
      for (Machine m : scope.machines()) {
        MachineConditions.set(m, ControlPlaneConditions.MACHINE_NODE_KUBEADM_LABELS_AND_TAINTS_SET, Conditions.UNKNOWN,
            reason, message);
        for (String type : ControlPlaneConditions.staticPodConditions(scope.etcdManaged())) {
          MachineConditions.set(m, type, Conditions.UNKNOWN, reason, message);
        }
      }
    }
  }

  /** Upstream {@code reconcileMachineUpToDateCondition}, without in-place updates. */
  static void upToDate(Machine machine, UpToDateCheck.Result result) {
    if (!result.upToDate()) {
      String message = String.join("\n", result.conditionMessages().stream().map(m -> "* " + m).toList());
      MachineConditions.set(machine, Contract.MachineCondition.UP_TO_DATE, Conditions.FALSE,
          ControlPlaneConditions.MACHINE_NOT_UP_TO_DATE_REASON, message);
      return;
    }
    Optional<String> kubelet = MachineFacts.kubeletVersion(machine);
    if (kubelet.isPresent() && !kubelet.get().equals(MachineFacts.version(machine))) {
      MachineConditions.set(machine, Contract.MachineCondition.UP_TO_DATE, Conditions.FALSE,
          ControlPlaneConditions.MACHINE_UPDATING_REASON,
          "* Node.status.nodeInfo.kubeletVersion " + kubelet.get() + ", " + MachineFacts.version(machine)
              + " required");
      return;
    }
    MachineConditions.set(machine, Contract.MachineCondition.UP_TO_DATE, Conditions.TRUE,
        ControlPlaneConditions.MACHINE_UP_TO_DATE_REASON, "");
  }

  private static JsonNode snapshot(Machine machine) {
    return Serialization.jsonMapper().valueToTree(machine.getStatus() == null ? null : machine.getStatus().conditions);
  }

  /** Writes KCP's conditions; on a conflict they are put on the newer Machine (MachineStatusWrite). */
  private void patch(Machine machine) {
    List<Condition> ours = owned(machine);
    boolean written = MachineStatusWrite.write(client, machine, target -> {
      if (target.getStatus() == null) target.setStatus(new MachineStatus());
      for (Condition c : ours) target.getStatus().conditions = Conditions.set(target.getStatus().conditions, c);
    });
    if (!written) {
      LOG.debug("Machine {} keeps changing while setting its conditions; retrying on the next reconcile",
          MachineFacts.name(machine));
    }
  }

  private static List<Condition> owned(Machine machine) {
    List<String> types = new ArrayList<>(ControlPlaneConditions.mandatoryReadinessGates(true));
    types.add(Contract.MachineCondition.UP_TO_DATE);
    List<Condition> out = new ArrayList<>();
    for (String type : types) MachineFacts.condition(machine, type).ifPresent(out::add);
    return out;
  }
}
