package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The naming pattern of the Machines KCP creates (their InfraMachines and KubeadmConfigs take the same name). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineNamingSpec {
  /**
   * Go template over {@code .cluster.name}, {@code .kubeadmControlPlane.name} and {@code .random}; default
   * {@code {{ .kubeadmControlPlane.name }}-{{ .random }}}. Names over 63 characters are cut to 58 plus 5 random.
   */
  // webhook-only: the template must parse and render to a valid DNS-1123 subdomain
  @Size(min = 1, max = 256)
  @ValidationRule(
      value = "self.contains('{{ .random }}')",
      message = "machineNaming.template: invalid template, {{ .random }} is missing")
  public String template;
}
