package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A reference without a version (v1beta2 contract): the version is read from the CRD's contract label
 * {@code cluster.x-k8s.io/v1beta2}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContractVersionedObjectReference {
  public String apiGroup;
  public String kind;
  public String name;

  public ContractVersionedObjectReference() {}

  public ContractVersionedObjectReference(String apiGroup, String kind, String name) {
    this.apiGroup = apiGroup;
    this.kind = kind;
    this.name = name;
  }

  @JsonIgnore
  public boolean isDefined() {
    return name != null && !name.isEmpty() && kind != null && !kind.isEmpty();
  }
}
