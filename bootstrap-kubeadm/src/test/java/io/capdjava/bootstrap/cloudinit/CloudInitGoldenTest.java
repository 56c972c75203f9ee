package io.capdjava.bootstrap.cloudinit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.bootstrap.v1beta2.APIServer;
import io.capdjava.api.bootstrap.v1beta2.Arg;
import io.capdjava.api.bootstrap.v1beta2.BootstrapTokenDiscovery;
import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.ControllerManager;
import io.capdjava.api.bootstrap.v1beta2.Discovery;
import io.capdjava.api.bootstrap.v1beta2.DiskSetup;
import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.Filesystem;
import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinControlPlane;
import io.capdjava.api.bootstrap.v1beta2.NTP;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.bootstrap.v1beta2.Partition;
import io.capdjava.api.bootstrap.v1beta2.User;
import io.capdjava.bootstrap.kubeadm.ClusterFacts;
import io.capdjava.bootstrap.kubeadm.KubeadmApiVersion;
import io.capdjava.bootstrap.kubeadm.KubeadmYaml;
import io.capdjava.core.KubernetesVersion;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cloud-config for the three machine roles on a v1beta3 (1.30) and a v1beta4 (1.34) Kubernetes, compared byte
 * for byte with golden files written from upstream's templates (bootstrap/kubeadm/pkg/cloudinit, CAPI v1.14.2).
 */
class CloudInitGoldenTest {
  static final String EVICTION = "nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%";
  static final String HASH = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @ValueSource(strings = {"v1.30.5", "v1.34.1"})
  void initControlPlane(String version) throws IOException {
    ClusterConfiguration cc = new ClusterConfiguration();
    cc.apiServer = new APIServer();
    cc.apiServer.certSANs = List.of("localhost", "127.0.0.1");
    cc.controllerManager = new ControllerManager();
    cc.controllerManager.extraArgs = List.of(new Arg("enable-hostpath-provisioner", "true"));
    cc.controlPlaneEndpoint = "172.18.0.3:6443";
    InitConfiguration init = new InitConfiguration();
    init.nodeRegistration = nodeRegistration();
    ClusterFacts facts = new ClusterFacts(version, "demo", "cluster.local", "10.128.0.0/12", "192.168.0.0/16", null);

    File motd = file("/etc/motd", "hello\n");
    motd.owner = "root:root";
    motd.permissions = "0644";
    User capi = new User();
    capi.name = "capi";
    capi.sudo = "ALL=(ALL) NOPASSWD:ALL";
    capi.sshAuthorizedKeys = List.of("ssh-ed25519 AAAA test");
    NTP ntp = new NTP();
    ntp.enabled = true;
    ntp.servers = List.of("time.example.com");
    CloudInitInput in = new CloudInitInput(certificateFiles(), List.of(motd), null, List.of("echo pre"),
        List.of("echo post"), List.of(capi), ntp, null, null, "");

    String out = CloudInitScript.initControlPlane(in, KubeadmYaml.clusterConfiguration(cc, api(version), facts),
        KubeadmYaml.initConfiguration(init, api(version)));
    assertEquals(golden("init-" + minor(version) + ".yaml"), out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.30.5", "v1.34.1"})
  void joinControlPlane(String version) throws IOException {
    JoinConfiguration join = join();
    join.controlPlane = new JoinControlPlane();
    CloudInitInput in = new CloudInitInput(certificateFiles(), List.of(), null, null, null, List.of(), null, null,
        null, "");
    String out = CloudInitScript.joinControlPlane(in, KubeadmYaml.joinConfiguration(join, api(version)));
    assertEquals(golden("join-control-plane-" + minor(version) + ".yaml"), out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.30.5", "v1.34.1"})
  void joinWorker(String version) throws IOException {
    JoinConfiguration join = join();
    join.nodeRegistration.taints = List.of(new TaintBuilder()
        .withKey("node.cluster.x-k8s.io/uninitialized").withEffect("NoSchedule").build());
    File extra = file("/etc/extra.conf", "aGVsbG8=");
    extra.encoding = "base64";
    extra.permissions = "0600";
    extra.append = true;
    DiskSetup disks = new DiskSetup();
    Partition p = new Partition();
    p.device = "/dev/sdb";
    p.layout = true;
    p.overwrite = false;
    p.tableType = "gpt";
    disks.partitions = List.of(p);
    Filesystem fs = new Filesystem();
    fs.device = "/dev/sdb1";
    fs.filesystem = "ext4";
    fs.label = "data";
    fs.extraOpts = List.of("-F");
    disks.filesystems = List.of(fs);
    CloudInitInput in = new CloudInitInput(List.of(), List.of(extra), List.of("echo boot"), List.of("echo pre"),
        null, List.of(), null, disks, List.of(List.of("LABEL=data", "/var/lib/data")), "--v 5");
    String out = CloudInitScript.joinNode(in, KubeadmYaml.joinConfiguration(join, api(version)));
    assertEquals(golden("join-worker-" + minor(version) + ".yaml"), out);
  }

  private static JoinConfiguration join() {
    JoinConfiguration join = new JoinConfiguration();
    join.nodeRegistration = nodeRegistration();
    join.discovery = new Discovery();
    join.discovery.bootstrapToken = new BootstrapTokenDiscovery();
    join.discovery.bootstrapToken.token = "abcdef.0123456789abcdef";
    join.discovery.bootstrapToken.apiServerEndpoint = "172.18.0.3:6443";
    join.discovery.bootstrapToken.caCertHashes = List.of(HASH);
    return join;
  }

  private static NodeRegistrationOptions nodeRegistration() {
    NodeRegistrationOptions n = new NodeRegistrationOptions();
    n.criSocket = "unix:///var/run/containerd/containerd.sock";
    n.kubeletExtraArgs = new ArrayList<>(List.of(new Arg("eviction-hard", EVICTION)));
    return n;
  }

  /** What ClusterCertificates.asFiles gives for the four cluster secrets, with fixed stand-in PEM bodies. */
  static List<File> certificateFiles() {
    List<File> files = new ArrayList<>();
    files.add(pem("/etc/kubernetes/pki/ca.crt", "0640", "CERTIFICATE", "CLUSTERCA"));
    files.add(pem("/etc/kubernetes/pki/ca.key", "0600", "RSA PRIVATE KEY", "CLUSTERCAKEY"));
    files.add(pem("/etc/kubernetes/pki/etcd/ca.crt", "0640", "CERTIFICATE", "ETCDCA"));
    files.add(pem("/etc/kubernetes/pki/etcd/ca.key", "0600", "RSA PRIVATE KEY", "ETCDCAKEY"));
    files.add(pem("/etc/kubernetes/pki/front-proxy-ca.crt", "0640", "CERTIFICATE", "FRONTPROXYCA"));
    files.add(pem("/etc/kubernetes/pki/front-proxy-ca.key", "0600", "RSA PRIVATE KEY", "FRONTPROXYCAKEY"));
    files.add(pem("/etc/kubernetes/pki/sa.pub", "0640", "PUBLIC KEY", "SERVICEACCOUNTPUB"));
    files.add(pem("/etc/kubernetes/pki/sa.key", "0600", "RSA PRIVATE KEY", "SERVICEACCOUNTKEY"));
    return files;
  }

  private static File pem(String path, String permissions, String kind, String body) {
    File f = file(path, "-----BEGIN " + kind + "-----\n" + body + "\n-----END " + kind + "-----\n");
    f.owner = "root:root";
    f.permissions = permissions;
    return f;
  }

  private static File file(String path, String content) {
    File f = new File();
    f.path = path;
    f.content = content;
    return f;
  }

  private static KubeadmApiVersion api(String version) {
    return KubeadmApiVersion.forKubernetes(KubernetesVersion.parse(version));
  }

  private static String minor(String version) {
    return version.substring(0, version.lastIndexOf('.'));
  }

  static String golden(String name) throws IOException {
    try (InputStream in = CloudInitGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
