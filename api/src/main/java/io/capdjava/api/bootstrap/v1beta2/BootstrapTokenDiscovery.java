package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Token-based discovery; CABPK fills token, apiServerEndpoint and CA pinning when they are empty. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootstrapTokenDiscovery {
  @Size(min = 1, max = 512)
  public String token;

  @Size(min = 1, max = 512)
  public String apiServerEndpoint;

  /** {@code sha256:<hex SPKI hash>} pins for the cluster CA. */
  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<@Size(min = 1, max = 512) String> caCertHashes;

  public Boolean unsafeSkipCAVerification;
}
