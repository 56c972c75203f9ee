package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The labels, annotations and DevCluster spec each DevCluster created from the template gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevClusterTemplateResource {
  // webhook-only: upstream validates the syntax of the label and annotation keys and values.
  @MinProperties(1)
  public ObjectMeta metadata;

  // upstream's webhook: the template spec cannot change (as DockerClusterTemplate's)
  @Required
  @ValidationRule(
      value = "self == oldSelf",
      message = "DevClusterTemplate spec.template.spec field is immutable. Please create a new resource instead.")
  public DevClusterSpec spec;
}
