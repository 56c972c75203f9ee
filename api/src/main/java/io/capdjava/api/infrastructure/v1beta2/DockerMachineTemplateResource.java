package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The labels, annotations and DockerMachine spec each DockerMachine created from the template gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerMachineTemplateResource {
  // webhook-only: upstream validates the syntax of the label and annotation keys and values.
  @MinProperties(1)
  public ObjectMeta metadata;

  // webhook-only: upstream lets topology dry-run requests (dryRun plus the topology.cluster.x-k8s.io/dry-run
  // annotation) change the spec; CEL cannot see the request, so this rule rejects them too.
  @Required
  @ValidationRule(
      value = "self == oldSelf",
      message = "DockerMachineTemplate spec.template.spec field is immutable. Please create a new resource instead.")
  public DockerMachineSpec spec;
}
