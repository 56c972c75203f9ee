package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A list of CIDR blocks (service or pod network). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkRanges extends UnknownFields {
  public List<String> cidrBlocks;
}
