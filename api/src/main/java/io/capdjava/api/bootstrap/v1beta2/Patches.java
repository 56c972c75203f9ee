package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** Where kubeadm finds patches for the static pod manifests it generates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Patches {
  /** Directory of files named {@code target[suffix][+patchtype].extension}, e.g. written via spec.files. */
  @Size(min = 1, max = 512)
  public String directory;
}
