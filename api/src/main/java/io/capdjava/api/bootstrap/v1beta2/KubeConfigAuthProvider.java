package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** A kubeconfig auth-provider plugin and its parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeConfigAuthProvider {
  @Required
  @Size(min = 1, max = 256)
  public String name;

  public Map<String, String> config;
}
