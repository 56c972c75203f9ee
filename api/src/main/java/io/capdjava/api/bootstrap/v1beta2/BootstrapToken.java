package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A bootstrap token {@code kubeadm init} creates (stored as a Secret in kube-system). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootstrapToken {
  /**
   * {@code <id>.<secret>}; upstream's CRD has no pattern, but its webhooks reject other forms when decoding, so the
   * pattern is in our schema.
   */
  @Required
  @Size(min = 1, max = 23)
  @Pattern("^[a-z0-9]{6}\\.[a-z0-9]{16}$")
  public String token;

  @Size(min = 1, max = 512)
  public String description;

  /** Default 24h; mutually exclusive with expires. */
  @Min(0)
  public Integer ttlSeconds;

  /** RFC 3339 timestamp; mutually exclusive with ttlSeconds. */
  public String expires;

  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<@Size(min = 1, max = 256) String> usages;

  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<@Size(min = 1, max = 256) String> groups;
}
