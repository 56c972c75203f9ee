package io.capdjava.bootstrap.cloudinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.DiskSetup;
import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.Partition;
import io.capdjava.api.bootstrap.v1beta2.PartitionSpec;
import io.capdjava.api.bootstrap.v1beta2.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expectations taken from upstream's bootstrap/kubeadm/pkg/cloudinit/cloudinit_test.go (CAPI v1.14.2). */
class CloudInitScriptTest {
  @Test
  void commandsAreQuotedAsGoPrintfQ() {
    CloudInitInput in = new CloudInitInput(List.of(), List.of(), List.of("echo $(date)", "echo 'hello BootCommands!'"),
        List.of("\"echo $(date) ': hello PreKubeadmCommands!'\""), List.of("echo $(date) ': hello PostKubeadmCommands!'"),
        List.of(), null, null, null, "");
    String out = CloudInitScript.initControlPlane(in, "my-cluster-config", "my-init-config");
    assertTrue(out.contains("bootcmd:\n  - \"echo $(date)\"\n  - \"echo 'hello BootCommands!'\""), out);
    assertTrue(out.contains("runcmd:\n"
        + "  - \"\\\"echo $(date) ': hello PreKubeadmCommands!'\\\"\"\n"
        + "  - 'kubeadm init --config /run/kubeadm/kubeadm.yaml  && echo success > /run/cluster-api/bootstrap-success.complete'\n"
        + "  - \"echo $(date) ': hello PostKubeadmCommands!'\""), out);
    assertEquals("\"tab\\there \\x01 \\u00a0 é\"", GoQuote.quote("tab\there \u0001 \u00a0 é"));
  }

  @Test
  void additionalFileEncodingsAsUpstream() {
    File b64 = file("/tmp/my-path", "aGk=");
    b64.encoding = "base64";
    File appended = file("/tmp/existing-path", "hi");
    appended.append = true;
    CloudInitInput in = new CloudInitInput(List.of(), List.of(b64, file("/tmp/my-other-path", "hi"), appended), null,
        null, null, List.of(), null, null, null, "");
    String out = CloudInitScript.initControlPlane(in, "my-cluster-config", "my-init-config");
    assertTrue(out.contains("-   path: /tmp/my-path\n    encoding: \"base64\"\n    content: |\n      aGk="), out);
    assertTrue(out.contains("-   path: /tmp/my-other-path\n    content: |\n      hi"), out);
    assertTrue(out.contains("-   path: /tmp/existing-path\n    append: true\n    content: |\n      hi"), out);
  }

  @Test
  void diskLayoutWithPartitionTypesAsUpstream() {
    Partition p = new Partition();
    p.device = "test-device";
    p.tableType = "gpt";
    p.diskLayout = List.of(spec(30, "Linux"), spec(20, null), spec(50, "LinuxRAID"),
        spec(10, "0fc63daf-8483-4772-8e79-3d69d8477de4"));
    DiskSetup disks = new DiskSetup();
    disks.partitions = List.of(p);
    CloudInitInput in = new CloudInitInput(List.of(), List.of(), null, null, null, List.of(), null, disks, null, "");
    String out = CloudInitScript.joinNode(in, "my-join-config");
    assertTrue(out.contains("disk_setup:\n  test-device:\n    table_type: gpt\n    layout:\n      - [30, 83]\n      - 20\n"
        + "      - [50, fd]\n      - [10, 0fc63daf-8483-4772-8e79-3d69d8477de4]"), out);
    assertTrue(out.endsWith("\nfs_setup:\n"), "fs_setup is written whenever diskSetup is, as upstream's template does");
  }

  @Test
  void usersWriteEverySetFieldInUpstreamsOrder() {
    User u = new User();
    u.name = "ops";
    u.passwd = "$6$hash";
    u.gecos = "Ops";
    u.groups = "wheel,adm";
    u.homeDir = "/home/ops";
    u.inactive = false;
    u.lockPassword = true;
    u.shell = "/bin/bash";
    u.primaryGroup = "ops";
    u.sudo = "ALL=(ALL) NOPASSWD:ALL";
    u.sshAuthorizedKeys = List.of("ssh-ed25519 AAAA one", "ssh-ed25519 AAAA two");
    CloudInitInput in = new CloudInitInput(List.of(), List.of(), null, null, null, List.of(u), null, null, null, "");
    String out = CloudInitScript.joinNode(in, "my-join-config");
    assertTrue(out.endsWith("users:\n  - name: ops\n    passwd: $6$hash\n    gecos: Ops\n    groups: wheel,adm\n"
        + "    homedir: /home/ops\n    inactive: false\n    lock_passwd: true\n    shell: /bin/bash\n"
        + "    primary_group: ops\n    sudo: ALL=(ALL) NOPASSWD:ALL\n    ssh_authorized_keys:\n"
        + "      - ssh-ed25519 AAAA one\n      - ssh-ed25519 AAAA two\n"), out);
  }

  private static PartitionSpec spec(int percentage, String type) {
    PartitionSpec s = new PartitionSpec();
    s.percentage = percentage;
    s.partitionType = type;
    return s;
  }

  private static File file(String path, String content) {
    File f = new File();
    f.path = path;
    f.content = content;
    return f;
  }
}
