package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Partition tables and file systems to create (cloud-init disk_setup and fs_setup). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DiskSetup {
  @ListType("atomic")
  @Size(max = 100)
  public List<Partition> partitions;

  @ListType("atomic")
  @Size(max = 100)
  public List<Filesystem> filesystems;
}
