package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The metadata a template carries to the objects created from it (upstream {@code clusterv1.ObjectMeta}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectMeta {
  public Map<String, String> labels;
  public Map<String, String> annotations;
}
