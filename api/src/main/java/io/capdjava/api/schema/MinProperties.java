package io.capdjava.api.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code minProperties} of an object, as upstream's {@code +kubebuilder:validation:MinProperties}: on a field, or on
 * a class for every field of that type.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface MinProperties {
  int value();
}
