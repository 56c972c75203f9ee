package io.capdjava.api.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of a string field, as upstream's {@code +kubebuilder:validation:Enum}. Kept as a string in Java
 * (not a Java enum) so that a value a newer upstream adds still reads and round-trips.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Enum {
  String[] value();
}
