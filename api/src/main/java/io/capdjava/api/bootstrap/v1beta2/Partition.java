package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How to partition one device: either one partition for the whole device (layout) or an explicit diskLayout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.layout),has(self.diskLayout)].filter(x,x==true).size() == 1",
    message = "exactly one of the fields in [layout diskLayout] must be set")
public class Partition {
  @Required
  @Size(min = 1, max = 256)
  public String device;

  /** true: a single partition for the whole device; false: leave the existing partitioning alone. */
  public Boolean layout;

  /** Skip the checks for existing partitions or file systems (default false). */
  public Boolean overwrite;

  /** {@code mbr} (default) or {@code gpt}. */
  @Enum({"mbr", "gpt"})
  // webhook-only (Ignition): only gpt is supported with format ignition
  public String tableType;

  /** Partitions in order; their percentages may add up to at most 100. */
  @ListType("atomic")
  @Size(min = 1, max = 100)
  @ValidationRule(
      value = "self.map(x, x.percentage).sum() <= 100",
      message = "diskLayout: the sum of all partition percentages must not be greater than 100")
  public List<PartitionSpec> diskLayout;
}
