package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The configuration of {@code kubeadm join}, for workers and additional control plane machines. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JoinConfiguration {
  /** Should match initConfiguration.nodeRegistration for control plane nodes. */
  @MinProperties(1)
  public NodeRegistrationOptions nodeRegistration;

  /** Defaults to {@code /etc/kubernetes/pki/ca.crt}. */
  @Size(min = 1, max = 512)
  public String caCertPath;

  @MinProperties(1)
  public Discovery discovery;

  /** Present (even empty) when the node joins as a control plane node. */
  public JoinControlPlane controlPlane;

  /** Phases of {@code kubeadm join} to skip. */
  @ListType("atomic")
  @Size(min = 1, max = 50)
  public List<@Size(min = 1, max = 256) String> skipPhases;

  @MinProperties(1)
  public Patches patches;

  @MinProperties(1)
  public Timeouts timeouts;
}
