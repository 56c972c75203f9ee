package io.capdjava.controlplane.desired;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateDeletionSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneMachineTemplateSpec;
import io.capdjava.api.controlplane.v1beta2.MachineReadinessGate;
import io.capdjava.api.core.v1beta2.Bootstrap;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.ClusterSecrets;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A new control plane Machine (upstream {@code ComputeDesiredMachine} for a create): controlled by the KCP, with the
 * control plane labels, the {@code kcp-cleanup} pre-terminate hook (so the etcd member is removed before the
 * infrastructure goes), the KCP's version, the failure domain, references to its InfraMachine and KubeadmConfig, the
 * deletion timeouts and taints of {@code spec.machineTemplate}, and the readiness gates KCP requires followed by the
 * user's (without duplicates).
 */
public final class DesiredMachine {
  private DesiredMachine() {}

  public static Machine build(
      KubeadmControlPlane kcp,
      String clusterName,
      String name,
      String failureDomain,
      ContractVersionedObjectReference infrastructureRef,
      ContractVersionedObjectReference bootstrapConfigRef) {
    Map<String, String> kcpAnnotations = kcp.getMetadata().getAnnotations();
    // a replacement Machine carries the remediation it replaces, so retries can be counted
    String remediationFor = kcpAnnotations == null
        ? null : kcpAnnotations.get(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION);
    return desired(kcp, clusterName, name, null, kcp.getSpec().version, failureDomain, infrastructureRef,
        bootstrapConfigRef, remediationFor);
  }

  /**
   * An existing Machine as KCP keeps it in place (upstream {@code ComputeDesiredMachine} for an update): its name, uid
   * (so an apply never creates), version, failure domain, references and {@code remediation-for} as they are; labels,
   * annotations, deletion timeouts, taints and readiness gates from the KCP.
   */
  public static Machine forExisting(KubeadmControlPlane kcp, String clusterName, Machine existing) {
    Map<String, String> existingAnnotations = existing.getMetadata().getAnnotations();
    return desired(kcp, clusterName, existing.getMetadata().getName(), existing.getMetadata().getUid(),
        existing.getSpec().version, existing.getSpec().failureDomain, existing.getSpec().infrastructureRef,
        existing.getSpec().bootstrap == null ? null : existing.getSpec().bootstrap.configRef,
        existingAnnotations == null ? null : existingAnnotations.get(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION));
  }

  private static Machine desired(KubeadmControlPlane kcp, String clusterName, String name, String uid, String version,
      String failureDomain, ContractVersionedObjectReference infrastructureRef,
      ContractVersionedObjectReference bootstrapConfigRef, String remediationFor) {
    Map<String, String> annotations = ControlPlaneMachineMetadata.annotations(kcp);
    if (remediationFor != null) annotations.put(KubeadmControlPlane.REMEDIATION_FOR_ANNOTATION, remediationFor);
    annotations.put(KubeadmControlPlane.PRE_TERMINATE_HOOK_CLEANUP_ANNOTATION, "");

    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder()
        .withName(name)
        .withUid(uid)
        .withNamespace(kcp.getMetadata().getNamespace())
        .withLabels(ControlPlaneMachineMetadata.labels(kcp, clusterName))
        .withAnnotations(annotations)
        .withOwnerReferences(ClusterSecrets.controllerReference(kcp))
        .build());

    MachineSpec spec = new MachineSpec();
    spec.clusterName = clusterName;
    spec.version = version;
    if (failureDomain != null && !failureDomain.isEmpty()) spec.failureDomain = failureDomain;
    spec.infrastructureRef = infrastructureRef;
    spec.bootstrap = new Bootstrap();
    spec.bootstrap.configRef = bootstrapConfigRef;

    KubeadmControlPlaneMachineTemplateSpec template = kcp.getSpec().machineTemplate.spec;
    Map<String, Object> deletion = deletion(template.deletion);
    if (!deletion.isEmpty()) spec.setUnknownField("deletion", deletion);
    if (template.taints != null && !template.taints.isEmpty()) {
      spec.setUnknownField("taints", Serialization.jsonMapper().convertValue(template.taints, List.class));
    }
    spec.setUnknownField("readinessGates", readinessGates(kcp));
    machine.setSpec(spec);
    return machine;
  }

  /** KCP's mandatory gates first, then the user's, each condition type once. */
  static List<Map<String, Object>> readinessGates(KubeadmControlPlane kcp) {
    List<Map<String, Object>> gates = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String type : ControlPlaneConditions.mandatoryReadinessGates(etcdManaged(kcp))) {
      if (seen.add(type)) gates.add(Map.of("conditionType", type));
    }
    List<MachineReadinessGate> user = kcp.getSpec().machineTemplate.spec.readinessGates;
    for (MachineReadinessGate gate : user == null ? List.<MachineReadinessGate>of() : user) {
      if (gate.conditionType == null || !seen.add(gate.conditionType)) continue;
      @SuppressWarnings("unchecked")
      Map<String, Object> g = Serialization.jsonMapper().convertValue(gate, Map.class);
      gates.add(g);
    }
    return gates;
  }

  /** With {@code etcd.external} the etcd cluster is not KCP's to manage. */
  public static boolean etcdManaged(KubeadmControlPlane kcp) {
    var spec = kcp.getSpec().kubeadmConfigSpec;
    return spec == null || spec.clusterConfiguration == null || spec.clusterConfiguration.etcd == null
        || spec.clusterConfiguration.etcd.external == null;
  }

  public static Map<String, Object> deletion(KubeadmControlPlaneMachineTemplateDeletionSpec d) {
    Map<String, Object> deletion = new LinkedHashMap<>();
    if (d == null) return deletion;
    if (d.nodeDrainTimeoutSeconds != null) deletion.put("nodeDrainTimeoutSeconds", d.nodeDrainTimeoutSeconds);
    if (d.nodeVolumeDetachTimeoutSeconds != null) {
      deletion.put("nodeVolumeDetachTimeoutSeconds", d.nodeVolumeDetachTimeoutSeconds);
    }
    if (d.nodeDeletionTimeoutSeconds != null) deletion.put("nodeDeletionTimeoutSeconds", d.nodeDeletionTimeoutSeconds);
    return deletion;
  }
}
