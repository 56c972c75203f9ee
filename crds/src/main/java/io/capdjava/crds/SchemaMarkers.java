package io.capdjava.crds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.ServedKinds;
import io.capdjava.api.schema.Enum;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds to the generated schema what fabric8's generator has no annotation for, so our CRDs validate as upstream's:
 * list types and map keys ({@link ListType}, keys become required as the API server demands), {@code minProperties}
 * ({@link MinProperties}), string enums ({@link Enum}), the required fields of Kubernetes' own types we embed
 * (Condition, Taint, EnvVar), printer columns in upstream's order, and no {@code status} for kinds without one. It
 * walks each CRD's schema and the Java class it came from side by side, matching properties by their JSON name.
 */
final class SchemaMarkers implements CRDPostProcessor {
  /** Required fields of Kubernetes types, as their upstream schemas have them. */
  private static final Map<Class<?>, List<String>> LIBRARY_REQUIRED =
      Map.of(
          Condition.class, List.of("lastTransitionTime", "message", "reason", "status", "type"),
          Taint.class, List.of("effect", "key"),
          EnvVar.class, List.of("name"));

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    CustomResourceDefinition definition = (CustomResourceDefinition) crd;
    Class<?> kind = ServedKinds.byCrdName(definition.getMetadata().getName());
    Type[] specAndStatus = specAndStatusTypes(kind);
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      apply(root.getProperties().get("spec"), specAndStatus[0]);
      if (specAndStatus[1] == Void.class) {
        root.getProperties().remove("status");
        version.setSubresources(null);
      } else {
        apply(root.getProperties().get("status"), specAndStatus[1]);
      }
      version.setAdditionalPrinterColumns(inDeclaredOrder(kind, version.getAdditionalPrinterColumns()));
    }
    return definition;
  }

  private static Type[] specAndStatusTypes(Class<?> kind) {
    Type type = kind.getGenericSuperclass();
    while (!(type instanceof ParameterizedType p && p.getRawType() == CustomResource.class)) {
      type = ((Class<?>) (type instanceof ParameterizedType p ? p.getRawType() : type)).getGenericSuperclass();
    }
    return ((ParameterizedType) type).getActualTypeArguments();
  }

  /** The generator sorts printer columns by JSON path; users see them in the order upstream (and the class) lists. */
  private static List<CustomResourceColumnDefinition> inDeclaredOrder(
      Class<?> kind, List<CustomResourceColumnDefinition> columns) {
    if (columns == null) return null;
    List<String> order = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
    sorted.sort(Comparator.comparingInt(c -> order.indexOf(c.getName()) < 0 ? order.size() : order.indexOf(c.getName())));
    return sorted;
  }

  private void apply(JSONSchemaProps schema, Type type) {
    if (schema == null || type == null) return;
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (Collection.class.isAssignableFrom(raw)) {
        apply(schema.getItems() == null ? null : schema.getItems().getSchema(), p.getActualTypeArguments()[0]);
      } else if (Map.class.isAssignableFrom(raw)) {
        apply(
            schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema(),
            p.getActualTypeArguments()[1]);
      }
      return;
    }
    if (!(type instanceof Class<?> cls)) return;
    if (LIBRARY_REQUIRED.containsKey(cls)) require(schema, LIBRARY_REQUIRED.get(cls));
    MinProperties classMin = cls.getAnnotation(MinProperties.class);
    if (classMin != null) schema.setMinProperties((long) classMin.value());
    if (schema.getProperties() == null || !cls.getName().startsWith("io.capdjava.")) return;
    for (Field field : fields(cls)) {
      JSONSchemaProps property = schema.getProperties().get(jsonName(field));
      if (property == null) continue;
      apply(property, field.getGenericType());
      ListType listType = field.getAnnotation(ListType.class);
      if (listType != null) {
        property.setXKubernetesListType(listType.value());
        if (listType.mapKeys().length > 0) {
          property.setXKubernetesListMapKeys(List.of(listType.mapKeys()));
          // the API server refuses a map list whose keys are optional and have no default
          require(property.getItems().getSchema(), List.of(listType.mapKeys()));
        }
      }
      MinProperties min = field.getAnnotation(MinProperties.class);
      if (min != null) property.setMinProperties((long) min.value());
      Enum values = field.getAnnotation(Enum.class);
      if (values != null) {
        JSONSchemaProps target = "array".equals(property.getType()) ? property.getItems().getSchema() : property;
        target.setEnum(Arrays.stream(values.value()).<JsonNode>map(v -> Serialization.jsonMapper().valueToTree(v)).toList());
      }
    }
  }

  private static void require(JSONSchemaProps schema, List<String> names) {
    Set<String> required = new LinkedHashSet<>(schema.getRequired() == null ? List.of() : schema.getRequired());
    required.addAll(names);
    schema.setRequired(required.stream().sorted().toList());
  }

  private static List<Field> fields(Class<?> cls) {
    List<Field> all = new ArrayList<>();
    for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && f.getAnnotation(JsonIgnore.class) == null) all.add(f);
      }
    }
    return all;
  }

  private static String jsonName(Field field) {
    JsonProperty p = field.getAnnotation(JsonProperty.class);
    return p != null && !p.value().isEmpty() ? p.value() : field.getName();
  }
}
