package io.capdjava.controlplane.phases;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.MachineTaint;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.desired.ControlPlaneMachineMetadata;
import io.capdjava.controlplane.desired.DesiredMachine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Contract;
import io.capdjava.core.ServerSideApply;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a KCP change reaches without a rollout (upstream {@code syncMachines}): the labels and annotations of
 * {@code spec.machineTemplate.metadata} on every control plane Machine, its InfraMachine and its KubeadmConfig, and
 * the deletion timeouts, taints and readiness gates of {@code spec.machineTemplate.spec} on the Machine; a Machine
 * already being deleted gets only the timeouts and taints, which govern its teardown.
 *
 * <p>All by server-side apply, as upstream: the Machine whole under {@code capi-kubeadmcontrolplane} (which created
 * it), the InfraMachine's and KubeadmConfig's labels and annotations under {@code capi-kubeadmcontrolplane-metadata}
 * (their creator gave those up). So whatever the KCP stops naming goes, including what was set at creation, while
 * what other writers set stays. An apply that would change nothing is not sent.
 */
public final class MachineInPlaceSync {
  static final String FIELD_MANAGER = "capi-kubeadmcontrolplane";
  static final String METADATA_FIELD_MANAGER = "capi-kubeadmcontrolplane-metadata";
  private static final List<String> DELETION_TIMEOUTS =
      List.of("nodeDrainTimeoutSeconds", "nodeVolumeDetachTimeoutSeconds", "nodeDeletionTimeoutSeconds");
  private static final Logger LOG = LoggerFactory.getLogger(MachineInPlaceSync.class);

  private final KubernetesClient client;

  public MachineInPlaceSync(KubernetesClient client) {
    this.client = client;
  }

  public void reconcile(ControlPlaneScope scope) {
    KubeadmControlPlane kcp = scope.kcp();
    Map<String, String> labels = ControlPlaneMachineMetadata.labels(kcp, scope.clusterName());
    Map<String, String> annotations = ControlPlaneMachineMetadata.annotations(kcp);
    for (Machine machine : scope.machines()) {
      String name = MachineFacts.name(machine);
      if (MachineFacts.isDeleting(machine)) {
        syncTeardownFields(scope, machine);
        continue;
      }
      Machine desired = DesiredMachine.forExisting(kcp, scope.clusterName(), machine);
      if (ServerSideApply.wouldChange(machine, desired, FIELD_MANAGER)) {
        ServerSideApply.apply(client, desired, FIELD_MANAGER);
        LOG.info("{}/{}: Machine {} given the KubeadmControlPlane's labels, annotations, deletion timeouts, taints "
            + "and readiness gates", scope.namespace(), kcp.getMetadata().getName(), name);
      }
      scope.infraMachine(name).ifPresent(infra -> syncMetadata(infra, labels, annotations));
      scope.kubeadmConfig(name).ifPresent(config -> syncMetadata(config, labels, annotations));
    }
  }

  /** Upstream patches (not applies) a deleting Machine's deletion timeouts and taints. */
  private void syncTeardownFields(ControlPlaneScope scope, Machine machine) {
    KubeadmControlPlane kcp = scope.kcp();
    Map<String, Object> deletion = kcp.getSpec().machineTemplate == null || kcp.getSpec().machineTemplate.spec == null
        ? Map.of() : DesiredMachine.deletion(kcp.getSpec().machineTemplate.spec.deletion);
    List<MachineTaint> taints = kcp.getSpec().machineTemplate == null || kcp.getSpec().machineTemplate.spec == null
        ? null : kcp.getSpec().machineTemplate.spec.taints;
    JsonNode current = Serialization.jsonMapper().valueToTree(machine);
    Map<String, Object> spec = new LinkedHashMap<>();
    if (!taintsInSync(current, taints)) {
      // a merge patch replaces the list, so a taint the KCP drops goes whoever wrote it
      spec.put("taints", taints == null || taints.isEmpty() ? null : taints);
    }
    if (!sameDeletion(current, deletion)) {
      Map<String, Object> patch = new LinkedHashMap<>();
      for (String key : DELETION_TIMEOUTS) patch.put(key, deletion.get(key));
      spec.put("deletion", patch);
    }
    if (spec.isEmpty()) return;
    client.resources(Machine.class).inNamespace(scope.namespace()).withName(MachineFacts.name(machine))
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", spec)));
  }

  /**
   * The KCP's labels and annotations on an InfraMachine or KubeadmConfig. Objects whose labels
   * {@code capi-kubeadmcontrolplane} applied (made by earlier versions of this provider) are first handed over to the
   * metadata manager, as upstream's {@code MigrateManagedFields}.
   */
  private void syncMetadata(HasMetadata object, Map<String, String> labels, Map<String, String> annotations) {
    if (ServerSideApply.migrateLabelsAndAnnotations(client, object, FIELD_MANAGER, METADATA_FIELD_MANAGER,
        Contract.Label.CLUSTER_NAME)) {
      object = client.resource(object).get();
      if (object == null) return;
    }
    GenericKubernetesResource desired = new GenericKubernetesResource();
    desired.setApiVersion(object.getApiVersion());
    desired.setKind(object.getKind());
    desired.setMetadata(new ObjectMetaBuilder().withName(object.getMetadata().getName())
        .withNamespace(object.getMetadata().getNamespace()).withUid(object.getMetadata().getUid())
        .withLabels(labels).withAnnotations(annotations).build());
    if (ServerSideApply.wouldChange(object, desired, METADATA_FIELD_MANAGER)) {
      ServerSideApply.apply(client, desired, METADATA_FIELD_MANAGER);
    }
  }

  /** The Machine's spec.taints are the KCP's machine template taints, in any order (none and an empty list alike). */
  static boolean taintsInSync(JsonNode machine, List<MachineTaint> desired) {
    Set<JsonNode> want = new HashSet<>();
    if (desired != null) for (MachineTaint t : desired) want.add(Serialization.jsonMapper().valueToTree(t));
    Set<JsonNode> have = new HashSet<>();
    machine.path("spec").path("taints").forEach(have::add);
    return want.equals(have);
  }

  private static boolean sameDeletion(JsonNode machine, Map<String, Object> deletion) {
    JsonNode current = machine.path("spec").path("deletion");
    for (String key : DELETION_TIMEOUTS) {
      Object want = deletion.get(key);
      JsonNode have = current.get(key);
      // a timeout the KCP does not set is left as it is (CAPI core defaults some on every Machine)
      if (want != null && (have == null || have.asLong() != ((Number) want).longValue())) return false;
    }
    return true;
  }
}
