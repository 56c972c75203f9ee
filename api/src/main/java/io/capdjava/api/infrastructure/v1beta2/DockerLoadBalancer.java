package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Settings of the HAProxy container that balances the cluster's API servers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerLoadBalancer {
  /** Registry of the HAProxy image; {@code kindest} when empty. */
  public String imageRepository;

  /** Tag of the HAProxy image; the controller's built-in tag when empty. */
  public String imageTag;

  /** A ConfigMap in the same namespace whose key {@code value} is a Go text/template replacing the HAProxy config. */
  public LocalObjectReference customHAProxyConfigTemplateRef;
}
