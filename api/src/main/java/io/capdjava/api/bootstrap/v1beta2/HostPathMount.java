package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A host directory or file mounted into a control plane component's static pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostPathMount {
  @Required
  @Size(min = 1, max = 512)
  public String name;

  @Required
  @Size(min = 1, max = 512)
  public String hostPath;

  @Required
  @Size(min = 1, max = 512)
  public String mountPath;

  public Boolean readOnly;

  /** A core/v1 HostPathType, e.g. {@code DirectoryOrCreate}. */
  public String pathType;
}
