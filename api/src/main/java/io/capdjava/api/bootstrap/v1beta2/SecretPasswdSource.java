package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the KubeadmConfig's namespace whose value becomes a user's hashed password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretPasswdSource {
  @Required
  @Size(min = 1, max = 253)
  public String name;

  @Required
  @Size(min = 1, max = 256)
  public String key;
}
