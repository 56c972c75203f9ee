package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A host path bind-mounted into the node container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Mount {
  public String containerPath;

  /** Must exist on the host; symlinks are followed. */
  public String hostPath;

  public Boolean readOnly;

  public Mount() {}

  public Mount(String containerPath, String hostPath, Boolean readOnly) {
    this.containerPath = containerPath;
    this.hostPath = hostPath;
    this.readOnly = readOnly;
  }
}
