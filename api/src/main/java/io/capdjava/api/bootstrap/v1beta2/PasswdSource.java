package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Where a user's hashed password comes from when it is not inline (only a Secret key today). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PasswdSource {
  @Required
  public SecretPasswdSource secret;
}
