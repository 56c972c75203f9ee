package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** cloud-init's ntp module settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NTP {
  @ListType("atomic")
  @Size(max = 100)
  public List<@Size(min = 1, max = 512) String> servers;

  public Boolean enabled;
}
