package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every class modelling part of an upstream-owned object (Cluster, Machine, ...): fields we do not model are
 * kept here on read and written back unchanged, so a read-modify-write never drops what CAPI core owns.
 */
public abstract class UnknownFields {
  private final Map<String, Object> unknownFields = new LinkedHashMap<>();

  @JsonAnyGetter
  public Map<String, Object> getUnknownFields() {
    return unknownFields;
  }

  @JsonAnySetter
  public void setUnknownField(String name, Object value) {
    unknownFields.put(name, value);
  }
}
