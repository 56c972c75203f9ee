package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How many Machines run one Kubernetes version (upstream {@code clusterv1.StatusVersion}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusVersion {
  @Required
  @Size(min = 1, max = 256)
  public String version;

  @Min(1)
  public Integer replicas;

  public StatusVersion() {}

  public StatusVersion(String version, Integer replicas) {
    this.version = version;
    this.replicas = replicas;
  }
}
