package io.capdjava.docker.loadbalancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our template engine renders what Go's text/template renders for the same template and data: the templates users
 * wrote for upstream CAPD must keep working. Go's own output is produced by the Go toolchain in the test.
 */
class GoTextTemplateCompatibilityTest {
  /** A custom template as users write them for upstream (this shape is used by k0smotron's tests). */
  static final String CUSTOM =
      """
      global
        maxconn 4096
      frontend control-plane
        bind *:{{ .FrontendControlPlanePort }}
        {{ if .IPv6 -}}
        bind :::{{ .FrontendControlPlanePort }};
        {{- end }}
        default_backend kube-apiservers
      backend kube-apiservers
        default-server inter 2s fall 2 rise 3
        {{range $server, $backend := .BackendServers}}
        server {{ $server }} {{ JoinHostPort $backend.Address $.BackendControlPlanePort }} weight {{ $backend.Weight }} check resolve-prefer {{ if $.IPv6 -}} ipv6 {{- else -}} ipv4 {{- end }}
        {{- end}}
      """;

  static final String CONSTRUCTS =
      """
      {{/* a comment */}}{{ if eq .BackendControlPlanePort "6443" }}default port{{ else if .IPv6 }}v6{{ else }}other{{ end }}
      {{ range $i, $s := .Names }}{{ $i }}={{ $s }} {{ else }}none{{ end }}
      {{ range .Empty }}x{{ else }}empty{{ end }}
      {{ printf "%s:%d" .FrontendControlPlanePort 7 }} {{ len .Names }} {{ not .IPv6 }} {{ and .IPv6 true }} {{ or .IPv6 true }}
      {{ ne .FrontendControlPlanePort "6443" }}   {{- "trimmed" -}}   end
      """;

  @Test
  void rendersLikeGoForTheDefaultACustomAndEveryConstruct(@TempDir Path dir) throws Exception {
    Map<String, HAProxyConfig.Backend> backends = new LinkedHashMap<>();
    backends.put("c1-control-plane-zz", new HAProxyConfig.Backend("172.18.0.4", 100));
    backends.put("c1-control-plane-aa", new HAProxyConfig.Backend("172.18.0.3", 0));
    backends.put("c1-control-plane-v6", new HAProxyConfig.Backend("fc00::5", 100));

    for (String template : List.of(HAProxyConfig.DEFAULT_TEMPLATE, CUSTOM)) {
      for (boolean ipv6 : List.of(false, true)) {
        String ours = HAProxyConfig.render(template, 7443, backends, ipv6, 20000);
        assertEquals(go(dir, template, 7443, backends, ipv6, 9950), ours);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("FrontendControlPlanePort", "6443");
    data.put("BackendControlPlanePort", "6443");
    data.put("IPv6", false);
    data.put("Names", List.of("a", "b"));
    data.put("Empty", List.of());
    assertEquals(goRaw(dir, CONSTRUCTS, data), GoTextTemplate.parse(CONSTRUCTS).execute(data));
  }

  @Test
  void defaultConfigIsSizedToTheOpenFileLimit() {
    String config = HAProxyConfig.render(null, 6443, Map.of(), false, 20000);
    assertTrue(config.contains("maxconn 9950"), config);
    assertTrue(HAProxyConfig.render(null, 6443, Map.of(), false, 1_048_576).contains("maxconn 100000"));
  }

  @Test
  void aBrokenTemplateSaysWhatIsWrong() {
    var missingEnd = assertThrows(GoTextTemplate.TemplateException.class,
        () -> HAProxyConfig.render("{{ if .IPv6 }}x", 6443, Map.of(), false, 20000));
    assertTrue(missingEnd.getMessage().contains("missing {{end}}"), missingEnd.getMessage());
    var unknownField = assertThrows(GoTextTemplate.TemplateException.class,
        () -> HAProxyConfig.render("{{ .Backends }}", 6443, Map.of(), false, 20000));
    assertTrue(unknownField.getMessage().contains("Backends"), unknownField.getMessage());
    var unknownFunction = assertThrows(GoTextTemplate.TemplateException.class,
        () -> HAProxyConfig.render("{{ upper .IPv6 }}", 6443, Map.of(), false, 20000));
    assertTrue(unknownFunction.getMessage().contains("upper"), unknownFunction.getMessage());
  }

  private static String go(Path dir, String template, int port, Map<String, HAProxyConfig.Backend> backends,
      boolean ipv6, long maxConn) throws Exception {
    Map<String, Object> servers = new LinkedHashMap<>();
    backends.forEach((k, v) -> servers.put(k, Map.of("Address", v.address(), "Weight", v.weight())));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("FrontendControlPlanePort", String.valueOf(port));
    data.put("BackendControlPlanePort", "6443");
    data.put("BackendServers", servers);
    data.put("IPv6", ipv6);
    data.put("MaxConn", maxConn);
    return goRaw(dir, template, data);
  }

  /** Renders with Go's text/template; data travels as JSON (maps of maps, as our engine sees it). */
  private static String goRaw(Path dir, String template, Map<String, Object> data) throws Exception {
    Files.writeString(dir.resolve("template.txt"), template);
    Files.writeString(dir.resolve("data.json"),
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(data));
    Files.writeString(dir.resolve("main.go"),
        """
        package main

        import (
        \t"encoding/json"
        \t"net"
        \t"os"
        \t"text/template"
        )

        func main() {
        \tt, _ := os.ReadFile("template.txt")
        \td, _ := os.ReadFile("data.json")
        \tvar data map[string]interface{}
        \tdec := json.NewDecoder(bytesReader(d))
        \tdec.UseNumber()
        \tif err := dec.Decode(&data); err != nil { panic(err) }
        \ttpl := template.Must(template.New("t").Funcs(template.FuncMap{"JoinHostPort": net.JoinHostPort}).Parse(string(t)))
        \tif err := tpl.Execute(os.Stdout, data); err != nil { panic(err) }
        }
        """.replace("bytesReader(d)", "os.NewFile(0, \"\")").replace("os.NewFile(0, \"\")", "strings.NewReader(string(d))")
            .replace("\"os\"\n", "\"os\"\n\t\"strings\"\n"));
    Process p = new ProcessBuilder("go", "run", "main.go").directory(dir.toFile()).redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "go run failed");
    return out;
  }
}
