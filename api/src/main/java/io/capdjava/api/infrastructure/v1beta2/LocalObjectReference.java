package io.capdjava.api.infrastructure.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference to an object in the same namespace by name (upstream {@code corev1.LocalObjectReference}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalObjectReference {
  // not expressible: upstream's schema defaults name to "" (fabric8 writes @Default("") as null).
  public String name;

  public LocalObjectReference() {}

  public LocalObjectReference(String name) {
    this.name = name;
  }
}
