package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Where a file's content comes from when it is not inline (only a Secret key today). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileSource {
  @Required
  public SecretFileSource secret;
}
