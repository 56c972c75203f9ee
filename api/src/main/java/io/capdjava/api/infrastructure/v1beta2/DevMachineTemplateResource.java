package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.core.v1beta2.ObjectMeta;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Required;

/** The labels, annotations and DevMachine spec each DevMachine created from the template gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DevMachineTemplateResource {
  // webhook-only: upstream validates the syntax of the label and annotation keys and values.
  @MinProperties(1)
  public ObjectMeta metadata;

  // immutable except for topology dry-run requests: the admission policy
  // crds/policies/devmachinetemplates-immutable.yaml (a CRD rule cannot see the request)
  @Required
  public DevMachineSpec spec;
}
