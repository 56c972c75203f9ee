package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;

/** How a joining kubelet finds and trusts the cluster during TLS bootstrap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Discovery {
  /** Mutually exclusive with file. */
  @MinProperties(1)
  public BootstrapTokenDiscovery bootstrapToken;

  /** Mutually exclusive with bootstrapToken. */
  public FileDiscovery file;

  /** Defaults to bootstrapToken.token; required with file discovery when the kubeconfig has no credentials. */
  @Size(min = 1, max = 512)
  public String tlsBootstrapToken;
}
