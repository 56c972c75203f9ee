package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where a Machine's bootstrap data comes from: a bootstrap config object, or a Secret named directly. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Bootstrap extends UnknownFields {
  public ContractVersionedObjectReference configRef;

  /** The Secret holding the bootstrap data (key {@code value}), copied from the bootstrap config's status. */
  public String dataSecretName;
}
