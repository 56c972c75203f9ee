package io.capdjava.bootstrap.cloudinit;

import io.capdjava.api.bootstrap.v1beta2.DiskSetup;
import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.Filesystem;
import io.capdjava.api.bootstrap.v1beta2.NTP;
import io.capdjava.api.bootstrap.v1beta2.Partition;
import io.capdjava.api.bootstrap.v1beta2.PartitionSpec;
import io.capdjava.api.bootstrap.v1beta2.User;
import java.util.ArrayList;
import java.util.List;

/**
 * The cloud-config CABPK writes, character for character as upstream's Go templates render it
 * ({@code bootstrap/kubeadm/pkg/cloudinit}: controlplane_init.go, controlplane_join.go, node.go and the shared
 * files/commands/ntp/users/disk_setup/fs_setup/mounts templates). Each method below mirrors one template; the
 * whitespace the templates trim or keep is reproduced, including the empty indented lines after PEM content.
 */
public final class CloudInitScript {
  static final String HEADER = "## template: jinja\n#cloud-config\n";
  static final String SENTINEL = "echo success > /run/cluster-api/bootstrap-success.complete";
  static final String INIT_CONFIG_PATH = "/run/kubeadm/kubeadm.yaml";
  static final String JOIN_CONFIG_PATH = "/run/kubeadm/kubeadm-join-config.yaml";
  private static final String PLACEHOLDER = "\n-   path: /run/cluster-api/placeholder\n"
      + "    owner: root:root\n"
      + "    permissions: '0640'\n"
      + "    content: \"This placeholder file is used to create the /run/cluster-api sub directory in a way that is"
      + " compatible with both Linux and Windows (mkdir -p /run/cluster-api does not work with Windows)\"";

  private CloudInitScript() {}

  /** The first control plane machine: {@code kubeadm init} with ClusterConfiguration and InitConfiguration. */
  public static String initControlPlane(CloudInitInput in, String clusterConfiguration, String initConfiguration) {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    files(b, writeFiles(in));
    b.append("\n-   path: " + INIT_CONFIG_PATH + "\n    owner: root:root\n    permissions: '0640'\n    content: |\n      ---\n");
    b.append(indent(6, clusterConfiguration)).append("\n      ---\n").append(indent(6, initConfiguration));
    b.append(PLACEHOLDER);
    bootCommands(b, in.bootCommands());
    b.append("\nruncmd:");
    commands(b, in.preKubeadmCommands());
    b.append("\n  - 'kubeadm init --config " + INIT_CONFIG_PATH + " ").append(verbosity(in)).append(" && " + SENTINEL + "'");
    return tail(b, in);
  }

  /** A control plane machine joining: JoinConfiguration only, with the cluster certificates in write_files. */
  public static String joinControlPlane(CloudInitInput in, String joinConfiguration) {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    files(b, writeFiles(in));
    b.append("\n-   path: " + JOIN_CONFIG_PATH + "\n    owner: root:root\n    permissions: '0640'\n    content: |\n");
    b.append(indent(6, joinConfiguration));
    return join(b, in);
  }

  /** A worker joining: JoinConfiguration (after a {@code ---}), no certificates. */
  public static String joinNode(CloudInitInput in, String joinConfiguration) {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    files(b, writeFiles(in));
    b.append("\n-   path: " + JOIN_CONFIG_PATH + "\n    owner: root:root\n    permissions: '0640'\n    content: |\n      ---\n");
    b.append(indent(6, joinConfiguration));
    return join(b, in);
  }

  private static String join(StringBuilder b, CloudInitInput in) {
    b.append(PLACEHOLDER);
    bootCommands(b, in.bootCommands());
    b.append("\nruncmd:");
    commands(b, in.preKubeadmCommands());
    b.append("\n  - kubeadm join --config " + JOIN_CONFIG_PATH + " ").append(verbosity(in)).append(" && " + SENTINEL);
    return tail(b, in);
  }

  private static String tail(StringBuilder b, CloudInitInput in) {
    commands(b, in.postKubeadmCommands());
    ntp(b, in.ntp());
    users(b, in.users());
    diskSetup(b, in.diskSetup());
    fsSetup(b, in.diskSetup());
    mounts(b, in.mounts());
    return b.append('\n').toString();
  }

  private static List<File> writeFiles(CloudInitInput in) {
    List<File> all = new ArrayList<>();
    if (in.certificateFiles() != null) all.addAll(in.certificateFiles());
    if (in.additionalFiles() != null) all.addAll(in.additionalFiles());
    return all;
  }

  private static String verbosity(CloudInitInput in) {
    return in.kubeadmVerbosity() == null ? "" : in.kubeadmVerbosity();
  }

  // {{ define "files" }}
  private static void files(StringBuilder b, List<File> files) {
    b.append("write_files:");
    for (File f : files) {
      b.append("\n-   path: ").append(f.path).append("\n    ");
      if (notEmpty(f.encoding)) b.append("encoding: \"").append(f.encoding).append("\"\n    ");
      if (notEmpty(f.owner)) b.append("owner: ").append(f.owner).append("\n    ");
      if (notEmpty(f.permissions)) b.append("permissions: '").append(f.permissions).append("'\n    ");
      // a *bool in Go's template: written whenever it is set, with its value
      if (f.append != null) b.append("append: ").append(f.append).append("\n    ");
      b.append("content: |\n").append(indent(6, f.content == null ? "" : f.content));
    }
  }

  // {{ define "boot_commands" }}
  private static void bootCommands(StringBuilder b, List<String> commands) {
    if (commands == null || commands.isEmpty()) return;
    b.append("\nbootcmd:");
    for (String c : commands) b.append("\n  - ").append(GoQuote.quote(c));
  }

  // {{ define "commands" }}
  private static void commands(StringBuilder b, List<String> commands) {
    if (commands == null) return;
    for (String c : commands) b.append("\n  - ").append(GoQuote.quote(c));
  }

  // {{ define "ntp" }}
  private static void ntp(StringBuilder b, NTP ntp) {
    if (ntp == null) return;
    b.append("\nntp:\n  ");
    if (ntp.enabled != null) b.append("enabled: ").append(ntp.enabled).append("\n  ");
    b.append("servers:");
    if (ntp.servers != null) for (String s : ntp.servers) b.append("\n    - ").append(s);
  }

  // {{ define "users" }}
  private static void users(StringBuilder b, List<User> users) {
    if (users == null || users.isEmpty()) return;
    b.append("\nusers:");
    for (User u : users) {
      b.append("\n  - name: ").append(u.name);
      field(b, "passwd", u.passwd);
      field(b, "gecos", u.gecos);
      field(b, "groups", u.groups);
      field(b, "homedir", u.homeDir);
      if (u.inactive != null) b.append("\n    inactive: ").append(u.inactive);
      if (u.lockPassword != null) b.append("\n    lock_passwd: ").append(u.lockPassword);
      field(b, "shell", u.shell);
      field(b, "primary_group", u.primaryGroup);
      field(b, "sudo", u.sudo);
      if (u.sshAuthorizedKeys != null && !u.sshAuthorizedKeys.isEmpty()) {
        b.append("\n    ssh_authorized_keys:");
        for (String k : u.sshAuthorizedKeys) b.append("\n      - ").append(k);
      }
    }
  }

  // {{ define "disk_setup" }}
  private static void diskSetup(StringBuilder b, DiskSetup disks) {
    if (disks == null) return;
    b.append("\ndisk_setup:");
    if (disks.partitions == null) return;
    for (Partition p : disks.partitions) {
      b.append("\n  ").append(p.device).append(':');
      if (notEmpty(p.tableType)) b.append("\n    table_type: ").append(p.tableType);
      if (p.diskLayout != null && !p.diskLayout.isEmpty()) {
        b.append("\n    layout:");
        for (PartitionSpec s : p.diskLayout) {
          String pct = String.valueOf(s.percentage == null ? 0 : s.percentage);
          if (notEmpty(s.partitionType)) {
            b.append("\n      - [").append(pct).append(", ").append(partitionTypeCode(s.partitionType)).append(']');
          } else {
            b.append("\n      - ").append(pct);
          }
        }
      } else {
        // Go prints a nil *bool as <nil>; the webhook requires layout or diskLayout, so this stays theoretical
        b.append("\n    layout: ").append(p.layout == null ? "<nil>" : p.layout.toString());
      }
      if (p.overwrite != null) b.append("\n    overwrite: ").append(p.overwrite);
    }
  }

  // {{ define "fs_setup" }}: rendered whenever diskSetup is, even without filesystems (as upstream)
  private static void fsSetup(StringBuilder b, DiskSetup disks) {
    if (disks == null) return;
    b.append("\nfs_setup:");
    if (disks.filesystems == null) return;
    for (Filesystem f : disks.filesystems) {
      b.append("\n  - label: ").append(nullToEmpty(f.label));
      b.append("\n    filesystem: ").append(nullToEmpty(f.filesystem));
      b.append("\n    device: ").append(nullToEmpty(f.device));
      field(b, "partition", f.partition);
      if (f.overwrite != null) b.append("\n    overwrite: ").append(f.overwrite);
      field(b, "replace_fs", f.replaceFS);
      if (f.extraOpts != null && !f.extraOpts.isEmpty()) {
        b.append("\n    extra_opts:");
        for (String o : f.extraOpts) b.append("\n      - ").append(o);
      }
    }
  }

  // {{ define "mounts" }}: each item is followed by a line of four spaces, as the template leaves it
  private static void mounts(StringBuilder b, List<List<String>> mounts) {
    if (mounts == null || mounts.isEmpty()) return;
    b.append("\nmounts:");
    for (List<String> m : mounts) {
      b.append("\n  - ");
      for (String item : m) b.append("- ").append(item).append("\n    ");
    }
  }

  private static void field(StringBuilder b, String key, String value) {
    if (notEmpty(value)) b.append("\n    ").append(key).append(": ").append(value);
  }

  /** Upstream's {@code Indent}: every line prefixed, including the empty one after a final newline. */
  static String indent(int n, String text) {
    String pad = " ".repeat(n);
    return pad + String.join("\n" + pad, text.split("\n", -1));
  }

  static String partitionTypeCode(String type) {
    return switch (type) {
      case "Linux" -> "83";
      case "LinuxSwap" -> "82";
      case "LinuxRAID" -> "fd";
      case "LVM" -> "8e";
      case "Fat32" -> "0c";
      case "NTFS" -> "07";
      case "LinuxExtended" -> "85";
      default -> type;
    };
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
