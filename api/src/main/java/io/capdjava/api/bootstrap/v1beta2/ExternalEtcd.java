package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** An etcd cluster outside the control plane; the certificate files must be supplied on the nodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalEtcd {
  @Required
  @ListType("atomic")
  @Size(min = 1, max = 50)
  public List<@Size(min = 1, max = 512) String> endpoints;

  @Required
  @Size(min = 1, max = 512)
  public String caFile;

  @Required
  @Size(min = 1, max = 512)
  public String certFile;

  @Required
  @Size(min = 1, max = 512)
  public String keyFile;
}
