package io.capdjava.bootstrap.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.FileDiscovery;
import io.capdjava.api.bootstrap.v1beta2.FileDiscoveryKubeConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeConfigAuthExec;
import io.capdjava.api.bootstrap.v1beta2.KubeConfigCluster;
import io.capdjava.api.bootstrap.v1beta2.KubeConfigUser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Files CABPK derives from the spec: the discovery kubeconfig and template files. */
class JoinFilesTest {
  @Test
  void discoveryKubeconfigIsClientGosV1ConfigWithDefaultNames() {
    FileDiscovery discovery = new FileDiscovery();
    discovery.kubeConfigPath = "/etc/kubernetes/discovery.conf";
    discovery.kubeConfig = new FileDiscoveryKubeConfig();
    discovery.kubeConfig.cluster = new KubeConfigCluster();
    discovery.kubeConfig.cluster.server = "https://172.18.0.3:6443";
    discovery.kubeConfig.cluster.certificateAuthorityData = "Q0EgUEVNCg==";
    discovery.kubeConfig.user = new KubeConfigUser();
    discovery.kubeConfig.user.exec = new KubeConfigAuthExec();
    discovery.kubeConfig.user.exec.command = "/bin/token";
    discovery.kubeConfig.user.exec.args = List.of("--audience", "k8s");

    File f = DiscoveryKubeconfigFile.of(discovery);
    assertEquals(List.of("/etc/kubernetes/discovery.conf", "root:root", "0640"), List.of(f.path, f.owner, f.permissions));
    assertEquals("clusters:\n"
        + "- cluster:\n"
        + "    certificate-authority-data: Q0EgUEVNCg==\n"
        + "    server: https://172.18.0.3:6443\n"
        + "  name: default\n"
        + "contexts:\n"
        + "- context:\n"
        + "    cluster: default\n"
        + "    user: default\n"
        + "  name: default\n"
        + "current-context: default\n"
        + "users:\n"
        + "- name: default\n"
        + "  user:\n"
        + "    exec:\n"
        + "      apiVersion: client.authentication.k8s.io/v1\n"
        + "      args:\n"
        + "      - --audience\n"
        + "      - k8s\n"
        + "      command: /bin/token\n"
        + "      env: null\n"
        + "      interactiveMode: Never\n"
        + "      provideClusterInfo: false\n", f.content);
  }

  @Test
  void templateFilesSeeTheControlPlaneVersion() {
    String template = "version={{ .controlPlane.version }}\n{{- if .controlPlane }}\nknown{{ else }}\nunknown{{ end }}\n";
    assertEquals("version=v1.34.1\nknown\n", FileTemplate.render("spec.files[0].content", template, "v1.34.1"));
    assertEquals("unknown\n", FileTemplate.render("spec.files[0].content",
        "{{ if .controlPlane }}{{ .controlPlane.version }}{{ else }}unknown{{ end }}\n", null));
    var noVersion = assertThrows(InvalidSpecException.class,
        () -> FileTemplate.render("spec.files[2].content", "{{ .controlPlane.version }}", null));
    assertTrue(noVersion.getMessage().startsWith("spec.files[2].content: "), noVersion.getMessage());
    var unsupported = assertThrows(InvalidSpecException.class,
        () -> FileTemplate.render("spec.files[0].content", "{{ range .items }}x{{ end }}", "v1.34.1"));
    assertTrue(unsupported.getMessage().contains("{{ range .items }} is not supported"), unsupported.getMessage());
  }
}
