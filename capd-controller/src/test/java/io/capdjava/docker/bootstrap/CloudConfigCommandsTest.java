package io.capdjava.docker.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cloud-config the kubeadm bootstrap provider writes, as the commands that run it in a node container. */
class CloudConfigCommandsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final String INIT = """
      ## template: jinja
      #cloud-config

      write_files:
      -   path: /run/kubeadm/kubeadm.yaml
          owner: root:root
          permissions: '0640'
          content: |
            ---
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: ClusterConfiguration
            kubernetesVersion: v1.34.4
            ---
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: InitConfiguration
            nodeRegistration:
              kubeletExtraArgs:
              - name: eviction-hard
                value: memory.available<5%
              - name: node-labels
                value: tier=cp
      -   path: /run/cluster-api/placeholder
          owner: root:root
          permissions: '0640'
          content: "This placeholder file is used to create the /run/cluster-api sub directory in a way that is compatible with both Linux and Windows (mkdir -p /run/cluster-api does not work with Windows)"
      runcmd:
        - 'kubeadm init --config /run/kubeadm/kubeadm.yaml  && echo success > /run/cluster-api/bootstrap-success.complete'
      """;

  @Test
  void kubeadmInitConfigIsAdjustedForContainersWithStringFlagValues() throws Exception {
    List<BootstrapStep> steps = CloudConfigCommands.parse(INIT, new KubeadmInContainers());

    assertEquals(3, steps.size());
    assertEquals("write /run/kubeadm/kubeadm.yaml", steps.get(0).description());
    List<JsonNode> docs = new ArrayList<>();
    YAML.readerFor(JsonNode.class).readValues(new String(steps.get(0).input(), StandardCharsets.UTF_8))
        .forEachRemaining(d -> docs.add((JsonNode) d));
    JsonNode registration = docs.get(1).get("nodeRegistration");
    assertEquals("unix:///var/run/containerd/containerd.sock", registration.get("criSocket").asText());
    JsonNode args = registration.get("kubeletExtraArgs");
    for (JsonNode arg : args) assertTrue(arg.get("value").isTextual(), arg + " has a string value");
    assertEquals("100", value(args, "image-gc-high-threshold"));
    assertEquals("false", value(args, "fail-swap-on"));
    assertEquals("nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%", value(args, "eviction-hard"),
        "upstream overrides the user's eviction thresholds: the host's disk is not the node's");
    assertEquals("tier=cp", value(args, "node-labels"));
    assertEquals("KubeProxyConfiguration", docs.get(2).get("kind").asText());
    assertEquals(0, docs.get(2).get("conntrack").get("maxPerCore").asInt());

    List<String> kubeadm = steps.get(2).command();
    assertEquals(List.of("/bin/sh", "-c"), kubeadm.subList(0, 2));
    assertTrue(kubeadm.get(2).startsWith("kubeadm init --ignore-preflight-errors=SystemVerification,Swap,"), kubeadm.get(2));
    assertFalse(kubeadm.get(2).contains("ImagePull"), "init pulls what it deploys: a missing image is an error there");
    assertTrue(kubeadm.get(2).endsWith("&& echo success > /run/cluster-api/bootstrap-success.complete"));
  }

  @Test
  void v1beta3KubeletArgsStayAMapOfStrings() throws Exception {
    String join = """
        #cloud-config
        write_files:
        - path: /run/kubeadm/kubeadm-join-config.yaml
          content: |
            apiVersion: kubeadm.k8s.io/v1beta3
            kind: JoinConfiguration
            nodeRegistration:
              criSocket: unix:///run/custom.sock
        runcmd: ['kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml']
        """;
    List<BootstrapStep> steps = CloudConfigCommands.parse(join, new KubeadmInContainers());
    JsonNode doc = YAML.readTree(steps.get(0).input());
    assertEquals("unix:///run/custom.sock", doc.get("nodeRegistration").get("criSocket").asText());
    JsonNode args = doc.get("nodeRegistration").get("kubeletExtraArgs");
    assertTrue(args.isObject());
    assertTrue(args.get("image-gc-high-threshold").isTextual());
    assertTrue(args.get("fail-swap-on").isTextual());
    assertTrue(steps.get(1).command().get(2).startsWith("kubeadm join --ignore-preflight-errors="));
    // a joining node does not run the CoreDNS image its preflight pulls (the previous release's during an upgrade)
    assertTrue(steps.get(1).command().get(2).matches("kubeadm join --ignore-preflight-errors=\\S*,ImagePull .*"),
        steps.get(1).command().get(2));
  }

  @Test
  void aModuleThatCannotRunInAContainerIsNamed() {
    var e = assertThrows(BootstrapDataException.class,
        () -> CloudConfigCommands.parse("#cloud-config\nntp:\n  enabled: true\nruncmd: [echo]\n", new KubeadmInContainers()));
    assertTrue(e.getMessage().contains("[ntp]"), e.getMessage());
  }

  private static String value(JsonNode args, String name) {
    for (JsonNode a : args) if (name.equals(a.get("name").asText())) return a.get("value").asText();
    return null;
  }
}
