package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** The credentials of a generated discovery kubeconfig: an auth provider or an exec plugin. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.authProvider) && has(self.exec))",
    message = "only one of authProvider or exec must be defined")
public class KubeConfigUser {
  public KubeConfigAuthProvider authProvider;

  public KubeConfigAuthExec exec;
}
