package io.capdjava.docker.bootstrap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The adjustments upstream CAPD makes so kubeadm works on a node that is a container: kubelet flags that stop it
 * from garbage-collecting images or evicting on the host's disk usage and from refusing swap, a containerd CRI socket
 * when none is set, kube-proxy told not to set conntrack sysctls it cannot set from a container, and kubeadm's
 * preflight checks that cannot pass in a container skipped.
 */
public final class KubeadmInContainers {
  public static final String INIT_CONFIG = "/run/kubeadm/kubeadm.yaml";
  public static final String JOIN_CONFIG = "/run/kubeadm/kubeadm-join-config.yaml";
  public static final String DEFAULT_CRI_SOCKET = "unix:///var/run/containerd/containerd.sock";
  /** Preflight checks a node in a container fails by nature (no kernel config, swap of the host, no bridge sysctl). */
  public static final String IGNORED_PREFLIGHT_ERRORS =
      "SystemVerification,Swap,FileContent--proc-sys-net-bridge-bridge-nf-call-iptables";
  /**
   * A joining control plane node's preflight pulls every image of the cluster's kubeadm-config, CoreDNS included,
   * which the join never runs. During an upgrade that tag is the previous release's (KCP, as upstream, moves CoreDNS
   * only after the rollout), and a node image of the new release does not carry it: with no registry reachable, as
   * here, the join would fail on an image it does not use. A failed pull stays a warning in kubeadm's output, and an
   * image the node does need fails its static pod visibly.
   */
  public static final String IGNORED_JOIN_PREFLIGHT_ERRORS = IGNORED_PREFLIGHT_ERRORS + ",ImagePull";

  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          // kubelet flag values are strings: "100" and "false" must not turn into a number and a boolean
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  private final Map<String, String> kubeletArgs;

  public KubeadmInContainers() {
    kubeletArgs = new LinkedHashMap<>();
    kubeletArgs.put("image-gc-high-threshold", "100");
    kubeletArgs.put("eviction-hard", "nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%");
    kubeletArgs.put("fail-swap-on", "false");
    // Node images of kind >= 0.20 (every one of CAPI's supported releases, and ours) run in a private cgroup namespace
    // and create the cgroups kubelet.slice/kubelet for the pods, as upstream CAPD assumes for them.
    kubeletArgs.put("cgroup-root", "/kubelet");
    kubeletArgs.put("runtime-cgroups", "/system.slice/containerd.service");
  }

  boolean isKubeadmCommand(List<String> argv) {
    return String.join(" ", argv).matches("(?s).*\\bkubeadm (init|join)\\b.*");
  }

  /** The first {@code kubeadm init|join} gets the preflight errors to ignore; the list form becomes a shell line. */
  List<String> adjustCommand(List<String> argv) {
    String line = argv.size() == 3 && argv.get(0).endsWith("sh") && argv.get(1).equals("-c")
        ? argv.get(2)
        : String.join(" ", argv);
    String adjusted = line
        .replaceFirst("\\bkubeadm init\\b", "kubeadm init --ignore-preflight-errors=" + IGNORED_PREFLIGHT_ERRORS)
        .replaceFirst("\\bkubeadm join\\b", "kubeadm join --ignore-preflight-errors=" + IGNORED_JOIN_PREFLIGHT_ERRORS);
    return List.of("/bin/sh", "-c", adjusted);
  }

  byte[] adjustFile(String path, byte[] content) {
    if (!path.equals(INIT_CONFIG) && !path.equals(JOIN_CONFIG)) return content;
    try {
      List<JsonNode> docs = new ArrayList<>();
      try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(content)) {
        while (it.hasNext()) {
          JsonNode doc = it.next();
          if (doc != null && !doc.isEmpty()) docs.add(doc);
        }
      }
      for (JsonNode doc : docs) {
        String kind = doc.path("kind").asText();
        if (kind.equals("InitConfiguration") || kind.equals("JoinConfiguration")) {
          fixNodeRegistration((ObjectNode) doc, doc.path("apiVersion").asText());
        }
      }
      if (path.equals(INIT_CONFIG)) docs.add(kubeProxyWithoutConntrackSysctls());
      StringBuilder out = new StringBuilder();
      for (JsonNode doc : docs) out.append("---\n").append(YAML.writeValueAsString(doc));
      return out.toString().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BootstrapDataException(path + " is not valid kubeadm YAML: " + e.getMessage());
    }
  }

  private void fixNodeRegistration(ObjectNode doc, String apiVersion) {
    ObjectNode registration = doc.has("nodeRegistration") ? (ObjectNode) doc.get("nodeRegistration")
        : doc.putObject("nodeRegistration");
    if (registration.path("criSocket").asText().isEmpty()) registration.put("criSocket", DEFAULT_CRI_SOCKET);
    if (apiVersion.endsWith("/v1beta3")) {
      // v1beta3: a map of flag name to value
      ObjectNode args = registration.has("kubeletExtraArgs") ? (ObjectNode) registration.get("kubeletExtraArgs")
          : registration.putObject("kubeletExtraArgs");
      kubeletArgs.forEach(args::put);
    } else {
      // v1beta4: a list of {name, value}; an existing entry is overwritten, as upstream does
      ArrayNode args = registration.has("kubeletExtraArgs") ? (ArrayNode) registration.get("kubeletExtraArgs")
          : registration.putArray("kubeletExtraArgs");
      kubeletArgs.forEach((name, value) -> {
        for (int i = args.size() - 1; i >= 0; i--) {
          if (name.equals(args.get(i).path("name").asText())) args.remove(i);
        }
        args.addObject().put("name", name).put("value", value);
      });
    }
  }

  private static JsonNode kubeProxyWithoutConntrackSysctls() {
    ObjectNode proxy = YAML.createObjectNode();
    proxy.put("apiVersion", "kubeproxy.config.k8s.io/v1alpha1");
    proxy.put("kind", "KubeProxyConfiguration");
    proxy.putObject("conntrack").put("maxPerCore", 0);
    return proxy;
  }

  static {
    YAML.getFactory().enable(JsonParser.Feature.ALLOW_COMMENTS);
  }
}
