package io.capdjava.controlplane.phases;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.MachineTaint;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.desired.ControlPlaneMachineMetadata;
import io.capdjava.controlplane.desired.DesiredMachine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a KCP change reaches without a rollout (upstream {@code syncMachines}): the labels and annotations of
 * {@code spec.machineTemplate.metadata} on every control plane Machine, its InfraMachine and its KubeadmConfig, and
 * the deletion timeouts of {@code spec.machineTemplate.spec.deletion} and its taints on the Machine; a Machine already
 * being deleted gets only the timeouts and taints, which govern its teardown. Written with server-side apply under upstream's field manager
 * {@code capi-kubeadmcontrolplane}, so a label the KCP stops naming goes from the objects it was applied to, while
 * labels other writers set stay. (Labels written when the objects were created belong to the creating request, as
 * before; upstream creates with server-side apply and can also drop those.)
 */
public final class MachineInPlaceSync {
  static final String FIELD_MANAGER = "capi-kubeadmcontrolplane";
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
    Map<String, Object> deletion = kcp.getSpec().machineTemplate == null || kcp.getSpec().machineTemplate.spec == null
        ? Map.of() : DesiredMachine.deletion(kcp.getSpec().machineTemplate.spec.deletion);
    List<MachineTaint> taints = kcp.getSpec().machineTemplate == null || kcp.getSpec().machineTemplate.spec == null
        ? null : kcp.getSpec().machineTemplate.spec.taints;
    for (Machine machine : scope.machines()) {
      String name = MachineFacts.name(machine);
      JsonNode current = Serialization.jsonMapper().valueToTree(machine);
      if (!taintsInSync(current, taints)) {
        // upstream sets the Machine's spec.taints to the KCP's, deleting or not; a merge patch replaces the list, so a
        // taint the KCP drops goes whoever wrote it
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("taints", taints == null || taints.isEmpty() ? null : taints);
        client.resources(Machine.class).inNamespace(scope.namespace()).withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", spec)));
        LOG.info("{}/{}: Machine {} given the KubeadmControlPlane's taints", scope.namespace(),
            kcp.getMetadata().getName(), name);
      }
      if (MachineFacts.isDeleting(machine)) {
        if (!sameDeletion(current, deletion)) {
          Map<String, Object> patch = new LinkedHashMap<>();
          for (String key : DELETION_TIMEOUTS) patch.put(key, deletion.get(key));
          client.resources(Machine.class).inNamespace(scope.namespace()).withName(name)
              .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", Map.of("deletion", patch))));
        }
        continue;
      }
      if (!metadataInSync(machine, labels, annotations) || !sameDeletion(current, deletion)) {
        GenericKubernetesResource apply = applied(machine, "cluster.x-k8s.io/v1beta2", "Machine", labels, annotations);
        if (!deletion.isEmpty()) apply.setAdditionalProperty("spec", Map.of("deletion", deletion));
        apply(apply);
        LOG.info("{}/{}: Machine {} given the KubeadmControlPlane's labels, annotations and deletion timeouts",
            scope.namespace(), kcp.getMetadata().getName(), name);
      }
      scope.infraMachine(name).filter(infra -> !metadataInSync(infra, labels, annotations))
          .ifPresent(infra -> apply(applied(infra, infra.getApiVersion(), infra.getKind(), labels, annotations)));
      scope.kubeadmConfig(name).filter(config -> !metadataInSync(config, labels, annotations))
          .ifPresent(config -> apply(applied(config, config.getApiVersion(), "KubeadmConfig", labels, annotations)));
    }
  }

  private void apply(GenericKubernetesResource object) {
    client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private static GenericKubernetesResource applied(HasMetadata object, String apiVersion, String kind,
      Map<String, String> labels, Map<String, String> annotations) {
    GenericKubernetesResource apply = new GenericKubernetesResource();
    apply.setApiVersion(apiVersion);
    apply.setKind(kind);
    apply.setMetadata(new ObjectMetaBuilder().withName(object.getMetadata().getName())
        .withNamespace(object.getMetadata().getNamespace()).withLabels(labels).withAnnotations(annotations).build());
    return apply;
  }

  /**
   * Every desired label and annotation present with its value, and none left that this manager applied before but
   * the KCP no longer names.
   */
  static boolean metadataInSync(HasMetadata object, Map<String, String> labels, Map<String, String> annotations) {
    Map<String, String> haveLabels = object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
    Map<String, String> haveAnnotations = object.getMetadata().getAnnotations() == null
        ? Map.of() : object.getMetadata().getAnnotations();
    for (var e : labels.entrySet()) if (!Objects.equals(haveLabels.get(e.getKey()), e.getValue())) return false;
    for (var e : annotations.entrySet()) if (!Objects.equals(haveAnnotations.get(e.getKey()), e.getValue())) return false;
    Set<String> appliedLabels = new HashSet<>();
    Set<String> appliedAnnotations = new HashSet<>();
    if (object.getMetadata().getManagedFields() != null) {
      for (ManagedFieldsEntry entry : object.getMetadata().getManagedFields()) {
        if (!FIELD_MANAGER.equals(entry.getManager()) || !"Apply".equals(entry.getOperation())
            || entry.getFieldsV1() == null) {
          continue;
        }
        JsonNode fields = Serialization.jsonMapper().valueToTree(entry.getFieldsV1()).path("f:metadata");
        fields.path("f:labels").fieldNames().forEachRemaining(f -> appliedLabels.add(f.substring(2)));
        fields.path("f:annotations").fieldNames().forEachRemaining(f -> appliedAnnotations.add(f.substring(2)));
      }
    }
    return labels.keySet().containsAll(appliedLabels) && annotations.keySet().containsAll(appliedAnnotations);
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
