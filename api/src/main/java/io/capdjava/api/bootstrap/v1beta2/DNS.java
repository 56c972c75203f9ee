package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** Image overrides for the CoreDNS add-on kubeadm installs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DNS {
  /** Falls back to ClusterConfiguration's imageRepository. */
  @Size(min = 1, max = 512)
  public String imageRepository;

  /** When set, kubeadm no longer changes the CoreDNS version on upgrades. */
  @Size(min = 1, max = 256)
  public String imageTag;
}
