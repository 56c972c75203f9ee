package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The parts of a MachinePool's spec providers read; the rest is kept in {@link UnknownFields}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachinePoolSpec extends UnknownFields {
  public String clusterName;

  /** How many instances the pool should have; 1 when unset. */
  public Integer replicas;

  /** Bootstrap reference and data secret, infrastructure reference and version of every instance. */
  public MachineTemplateSpec template;

  public List<String> failureDomains;

  public List<String> providerIDList;
}
