package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A Node taint Cluster API manages on the Machine's Node (upstream {@code clusterv1.MachineTaint}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineTaint {
  /** The key rules are those of upstream's webhook (taints.ValidateMachineTaints). */
  @Required
  @Size(min = 1, max = 317)
  @Pattern(
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
  @ValidationRule(
      value = "self != 'node.cluster.x-k8s.io/uninitialized' && self != 'node.cluster.x-k8s.io/outdated-revision'",
      message = "taints: taint key is not allowed")
  @ValidationRule(
      value = "!self.startsWith('node.kubernetes.io/') || self == 'node.kubernetes.io/out-of-service'",
      message = "taints: taint key must not have the prefix node.kubernetes.io/, except for node.kubernetes.io/out-of-service")
  @ValidationRule(
      value = "!self.startsWith('node.cloudprovider.kubernetes.io/')",
      message = "taints: taint key must not have the prefix node.cloudprovider.kubernetes.io/")
  @ValidationRule(
      value = "self != 'node-role.kubernetes.io/master'",
      message = "taints: taint is deprecated since 1.24 and should not be used anymore")
  public String key;

  @Size(min = 1, max = 63)
  @Pattern("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
  public String value;

  @Required
  @Enum({"NoSchedule", "PreferNoSchedule", "NoExecute"})
  public String effect;

  /** Always: kept on the Node; OnInitialization: set once when the Node is initialized. */
  @Required
  @Enum({"Always", "OnInitialization"})
  public String propagation;
}
