package io.capdjava.bootstrap.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scalar styles and layout as go-yaml v2 writes them (expected outputs as produced by sigs.k8s.io/yaml). */
class GoYamlTest {
  @Test
  void scalarsAreQuotedOnlyWhenGoYamlWouldQuoteThem() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plain", "registry.k8s.io");
    m.put("bool", "true");
    m.put("number", "6443");
    m.put("octal", "0755");
    m.put("hex", "0x1F");
    m.put("empty", "");
    m.put("colon", "host:6443");
    m.put("colonSpace", "a: b");
    m.put("star", "*");
    m.put("hash", "a #b");
    m.put("leading", " x");
    m.put("quote", "it's");
    m.put("dash", "- x");
    m.put("tab", "a\tb");
    m.put("date", "2024-01-02");
    m.put("ip", "10.0.0.1");
    m.put("yes", "yes");
    m.put("sha", "sha256:0123abcd");
    m.put("null", null);
    m.put("int", 6443);
    assertEquals(""
            + "bool: \"true\"\n"
            + "colon: host:6443\n"
            + "colonSpace: 'a: b'\n"
            + "dash: '- x'\n"
            + "date: \"2024-01-02\"\n"
            + "empty: \"\"\n"
            + "hash: 'a #b'\n"
            + "hex: \"0x1F\"\n"
            + "int: 6443\n"
            + "ip: 10.0.0.1\n"
            + "leading: ' x'\n"
            + "\"null\": null\n"
            + "number: \"6443\"\n"
            + "octal: \"0755\"\n"
            + "plain: registry.k8s.io\n"
            + "quote: it's\n"
            + "sha: sha256:0123abcd\n"
            + "star: '*'\n"
            + "tab: \"a\\tb\"\n"
            + "\"yes\": \"yes\"\n",
        GoYaml.marshal(m));
  }

  @Test
  void nestingFollowsGoYaml() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("key", "node-role.kubernetes.io/control-plane");
    inner.put("effect", "NoSchedule");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("taints", List.of(inner));
    m.put("list", List.of("a", "b"));
    m.put("emptyList", new ArrayList<>());
    m.put("nested", Map.of("deeper", Map.of("x", 1)));
    m.put("multi", "line one\nline two\n");
    assertEquals(""
            + "emptyList: []\n"
            + "list:\n"
            + "- a\n"
            + "- b\n"
            + "multi: |\n"
            + "  line one\n"
            + "  line two\n"
            + "nested:\n"
            + "  deeper:\n"
            + "    x: 1\n"
            + "taints:\n"
            + "- effect: NoSchedule\n"
            + "  key: node-role.kubernetes.io/control-plane\n",
        GoYaml.marshal(m));
  }

  @Test
  void keysSortNaturallyAsGoYaml() {
    List<String> keys = new ArrayList<>(Arrays.asList("b", "a10", "a2", "A", "a"));
    keys.sort(GoYaml::keyLess);
    assertEquals(List.of("A", "a", "a2", "a10", "b"), keys);
  }

  @Test
  void longPlainScalarsFoldAt80Columns() {
    String description = "a description that is long enough to go past the eighty column limit of go-yaml v2 emitter";
    assertEquals("d: a description that is long enough to go past the eighty column limit of go-yaml\n"
        + "  v2 emitter\n", GoYaml.marshal(Map.of("d", description)));
  }
}
