package io.capdjava.crds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of upstream's v1beta2 schema is in ours, under the same JSON name. The upstream field lists are made by
 * {@code hack/upstream-fields.py} from upstream's CRDs (CAPI v1.14).
 */
class SchemaCoverageTest {
  static Stream<String> crdNames() {
    return CrdWriter.generate().keySet().stream().map(f -> f.replaceFirst("\\.yaml$", ""));
  }

  @ParameterizedTest
  @MethodSource("crdNames")
  void everyUpstreamFieldIsInOurSchema(String crdName) throws IOException {
    Set<String> upstream = upstreamFields(crdName);
    assertTrue(upstream.size() > 10, "upstream field list for " + crdName + " is present");
    CustomResourceDefinition ours =
        Serialization.unmarshal(CrdWriter.generate().get(crdName + ".yaml"), CustomResourceDefinition.class);
    Set<String> ourFields = new TreeSet<>();
    walk(ours.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), "", ourFields);
    Set<String> missing = new TreeSet<>(upstream);
    missing.removeAll(ourFields);
    assertEquals(Set.of(), missing, crdName + " lacks upstream fields");
  }

  private static Set<String> upstreamFields(String crdName) throws IOException {
    try (InputStream in = SchemaCoverageTest.class.getResourceAsStream("/upstream-fields/" + crdName + ".txt")) {
      if (in == null) return Set.of();
      return new TreeSet<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
  }

  private static void walk(JSONSchemaProps schema, String path, Set<String> out) {
    if (schema == null) return;
    if (schema.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
        String sub = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
        if (path.isEmpty() && List.of("apiVersion", "kind", "metadata").contains(p.getKey())) continue;
        out.add(sub);
        walk(p.getValue(), sub, out);
      }
    }
    if (schema.getItems() != null) walk(schema.getItems().getSchema(), path + "[]", out);
    if (schema.getAdditionalProperties() != null) walk(schema.getAdditionalProperties().getSchema(), path + "{}", out);
  }
}
