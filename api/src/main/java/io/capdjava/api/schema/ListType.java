package io.capdjava.api.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@code x-kubernetes-list-type} (and {@code x-kubernetes-list-map-keys}) of a list field, as upstream declares it
 * with kubebuilder markers. Server-side apply merges lists by these keys, so CAPI core and our providers can each own
 * their entries (conditions by type, failure domains by name) without overwriting the other's.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface ListType {
  /** {@code atomic}, {@code set} or {@code map}. */
  String value();

  /** The keys of a {@code map} list. */
  String[] mapKeys() default {};
}
