package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A file system to create on a device or partition (cloud-init fs_setup). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Filesystem {
  @Required
  @Size(min = 1, max = 256)
  public String device;

  /** File system type, e.g. {@code ext4}. */
  @Required
  @Size(min = 1, max = 128)
  public String filesystem;

  /** {@code None} means no label. */
  @Size(min = 1, max = 512)
  public String label;

  /** {@code auto|any}, {@code auto}, {@code any}, {@code none} or a partition number. */
  @Size(min = 1, max = 128)
  // webhook-only (Ignition): not supported with format ignition
  public String partition;

  /** Destroy any existing file system. */
  public Boolean overwrite;

  /** Azure-specific: replace a file system of this type (needs partition {@code any} unless a label is set). */
  @Size(min = 1, max = 128)
  // webhook-only (Ignition): not supported with format ignition
  public String replaceFS;

  /** Extra options for the mkfs command. */
  @ListType("atomic")
  @Size(max = 100)
  public List<@Size(min = 1, max = 256) String> extraOpts;
}
