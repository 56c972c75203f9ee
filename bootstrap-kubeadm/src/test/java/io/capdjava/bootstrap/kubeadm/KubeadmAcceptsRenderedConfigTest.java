package io.capdjava.bootstrap.kubeadm;

import io.capdjava.core.KubernetesVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capdjava.api.bootstrap.v1beta2.APIServer;
import io.capdjava.api.bootstrap.v1beta2.Arg;
import io.capdjava.api.bootstrap.v1beta2.BootstrapTokenDiscovery;
import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.Discovery;
import io.capdjava.api.bootstrap.v1beta2.Etcd;
import io.capdjava.api.bootstrap.v1beta2.HostPathMount;
import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinControlPlane;
import io.capdjava.api.bootstrap.v1beta2.LocalEtcd;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.bootstrap.v1beta2.Timeouts;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeadm itself (v1.34, built by hack/tools.sh) reads what we render: {@code kubeadm config validate} accepts the
 * v1beta4 init and join documents, including fields that differ between kubeadm API versions.
 */
class KubeadmAcceptsRenderedConfigTest {
  @TempDir Path dir;

  @Test
  void kubeadmValidatesInitAndJoinConfiguration() throws Exception {
    Path kubeadm = kubeadm();
    KubeadmApiVersion api = KubeadmApiVersion.forKubernetes(KubernetesVersion.parse("v1.34.1"));

    ClusterConfiguration cc = new ClusterConfiguration();
    cc.controlPlaneEndpoint = "172.18.0.3:6443";
    cc.apiServer = new APIServer();
    cc.apiServer.certSANs = List.of("localhost", "127.0.0.1");
    cc.apiServer.extraArgs = List.of(new Arg("audit-log-maxage", "30"));
    HostPathMount audit = new HostPathMount();
    audit.name = "audit";
    audit.hostPath = "/var/log/audit";
    audit.mountPath = "/var/log/audit";
    audit.readOnly = false;
    audit.pathType = "DirectoryOrCreate";
    cc.apiServer.extraVolumes = List.of(audit);
    cc.etcd = new Etcd();
    cc.etcd.local = new LocalEtcd();
    cc.etcd.local.dataDir = "/var/lib/etcd";
    cc.featureGates = Map.of("ControlPlaneKubeletLocalMode", true);
    cc.caCertificateValidityPeriodDays = 3650;
    cc.encryptionAlgorithm = "RSA-2048";
    InitConfiguration init = new InitConfiguration();
    init.nodeRegistration = new NodeRegistrationOptions();
    init.nodeRegistration.kubeletExtraArgs = List.of(new Arg("eviction-hard", "nodefs.available<0%"));
    init.nodeRegistration.imagePullSerial = true;
    init.timeouts = new Timeouts();
    init.timeouts.controlPlaneComponentHealthCheckSeconds = 240;
    String initYaml = "---\n" + KubeadmYaml.clusterConfiguration(cc, api,
        new ClusterFacts("v1.34.1", "demo", "cluster.local", "10.128.0.0/12", "192.168.0.0/16", 240))
        + "---\n" + KubeadmYaml.initConfiguration(init, api);
    assertEquals("ok", validate(kubeadm, initYaml));

    JoinConfiguration join = new JoinConfiguration();
    join.nodeRegistration = new NodeRegistrationOptions();
    join.nodeRegistration.taints = List.of(new TaintBuilder()
        .withKey("node.cluster.x-k8s.io/uninitialized").withEffect("NoSchedule").build());
    join.controlPlane = new JoinControlPlane();
    join.discovery = new Discovery();
    join.discovery.bootstrapToken = new BootstrapTokenDiscovery();
    join.discovery.bootstrapToken.token = "abcdef.0123456789abcdef";
    join.discovery.bootstrapToken.apiServerEndpoint = "172.18.0.3:6443";
    join.discovery.bootstrapToken.caCertHashes =
        List.of("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    join.timeouts = new Timeouts();
    join.timeouts.tlsBootstrapSeconds = 300;
    assertEquals("ok", validate(kubeadm, KubeadmYaml.joinConfiguration(join, api)));
  }

  private String validate(Path kubeadm, String yaml) throws IOException, InterruptedException {
    Path file = Files.writeString(dir.resolve("kubeadm.yaml"), yaml);
    Process p = new ProcessBuilder(kubeadm.toString(), "config", "validate", "--config", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(60, TimeUnit.SECONDS);
    return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out + "\n---\n" + yaml;
  }

  /** kubeadm from hack/tools.sh's bin directory; the test is skipped where the node tools were not built. */
  private static Path kubeadm() throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isRegularFile(root.resolve("hack/tools.sh"))) root = root.getParent();
    assumeTrue(root != null, "hack/tools.sh not found");
    Process p = new ProcessBuilder("bash", root.resolve("hack/tools.sh").toString(), "--print-dir")
        .redirectErrorStream(true).start();
    String binDir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(30, TimeUnit.SECONDS);
    Path kubeadm = Path.of(binDir.lines().reduce((a, b) -> b).orElse("")).resolve("kubeadm");
    assumeTrue(Files.isExecutable(kubeadm), "kubeadm not built (hack/tools.sh node): " + kubeadm);
    return kubeadm;
  }
}
