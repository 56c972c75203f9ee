package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** What CABPK puts into the discovery kubeconfig it generates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileDiscoveryKubeConfig {
  /** Server and CA data default to the Cluster's endpoint and CA. */
  @MinProperties(1)
  public KubeConfigCluster cluster;

  @Required
  @MinProperties(1)
  public KubeConfigUser user;
}
