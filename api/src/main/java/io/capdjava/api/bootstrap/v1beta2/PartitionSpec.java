package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One partition of a diskLayout: its share of the device and optionally its type. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PartitionSpec {
  /** Percent of the device (1-100). */
  @Required
  @Min(1)
  @Max(100)
  public Integer percentage;

  /** A named type (mapped to cloud-init's type codes) or a full GPT partition type GUID. */
  @Size(min = 1, max = 36)
  @ValidationRule(
      value =
          "self.matches('^(Linux|LinuxSwap|LinuxRAID|LVM|Fat32|NTFS|LinuxExtended|[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})$')",
      message =
          "partitionType must be one of Linux, LinuxSwap, LinuxRAID, LVM, Fat32, NTFS, LinuxExtended or a full GPT"
              + " partition GUID")
  public String partitionType;
}
