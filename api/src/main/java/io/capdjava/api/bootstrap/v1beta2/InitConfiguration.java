package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The node-specific part of {@code kubeadm init}, for the first control plane machine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InitConfiguration {
  /** Tokens to create at init time; not uploaded to the kubeadm-config ConfigMap. */
  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<BootstrapToken> bootstrapTokens;

  /** Should match joinConfiguration.nodeRegistration for control plane nodes. */
  @MinProperties(1)
  public NodeRegistrationOptions nodeRegistration;

  /** Address and port this node's API server advertises (auto-detected when empty). */
  @MinProperties(1)
  public APIEndpoint localAPIEndpoint;

  /** Phases of {@code kubeadm init} to skip. */
  @ListType("atomic")
  @Size(min = 1, max = 50)
  public List<@Size(min = 1, max = 256) String> skipPhases;

  @MinProperties(1)
  public Patches patches;

  @MinProperties(1)
  public Timeouts timeouts;
}
