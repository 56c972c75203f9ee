package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** Where a control plane's API server answers (upstream {@code clusterv1.APIEndpoint}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class APIEndpoint {
  @Size(min = 1, max = 512)
  public String host;

  @Min(1)
  @Max(65535)
  public Integer port;

  public APIEndpoint() {}

  public APIEndpoint(String host, Integer port) {
    this.host = host;
    this.port = port;
  }

  /** Upstream treats an endpoint as set only when both host and port are. */
  @JsonIgnore
  public boolean isValid() {
    return host != null && !host.isEmpty() && port != null && port != 0;
  }
}
