package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The spec of the control plane Machines. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneMachineTemplateSpec {
  /** The InfraMachineTemplate KCP clones an InfraMachine from for each Machine. */
  @Required
  @ValidationRule(
      value = "has(self.apiGroup) && self.apiGroup != ''",
      message = "infrastructureRef.apiGroup cannot be empty",
      fieldPath = ".apiGroup")
  @ValidationRule(
      value = "has(self.kind) && self.kind != ''",
      message = "infrastructureRef.kind cannot be empty",
      fieldPath = ".kind")
  @ValidationRule(
      value = "has(self.name) && self.name != ''",
      message = "infrastructureRef.name cannot be empty",
      fieldPath = ".name")
  public ContractVersionedObjectReference infrastructureRef;

  /** Added after the gates KCP always sets (pod health, etcd member health, kubeadm labels and taints). */
  @ListType(value = "map", mapKeys = "conditionType")
  @Size(min = 1, max = 32)
  public List<MachineReadinessGate> readinessGates;

  @MinProperties(1)
  public KubeadmControlPlaneMachineTemplateDeletionSpec deletion;

  // webhook-only: taints require the MachineTaintPropagation feature gate; keys must be valid label keys
  @ListType(value = "map", mapKeys = {"key", "effect"})
  @Size(min = 1, max = 64)
  public List<MachineTaint> taints;
}
