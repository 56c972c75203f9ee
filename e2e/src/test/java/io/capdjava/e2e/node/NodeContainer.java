package io.capdjava.e2e.node;

import static io.capdjava.e2e.node.DockerCli.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kubernetes node container from the node image, started with the flags of the restricted security profile: every
 * capability the host allows instead of --privileged (which fails where CAP_SYS_RESOURCE is missing from the bounding
 * set), a private cgroup namespace for systemd, /var as a volume for containerd's overlayfs snapshots.
 */
final class NodeContainer {
  static final String TEST_LABEL = "io.capdjava.test";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private final String name;

  private NodeContainer(String name) {
    this.name = name;
  }

  /** Starts a node called {@code name} (container name and hostname) on {@code network}. */
  static NodeContainer start(String image, String name, String network, String testName) {
    List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--hostname", name, "--network", network));
    args.addAll(List.of("--label", TEST_LABEL + "=" + testName));
    args.addAll(List.of("--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE"));
    args.addAll(List.of("--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined"));
    args.addAll(List.of("--security-opt", "systempaths=unconfined", "--device-cgroup-rule", "a *:* rwm"));
    args.addAll(List.of("--cgroupns=private", "--tmpfs", "/run", "--tmpfs", "/tmp", "-v", "/var"));
    args.addAll(List.of("-e", "container=docker", "--stop-signal", "SIGRTMIN+3", "-t", image));
    docker(COMMAND_TIMEOUT, args.toArray(String[]::new));
    return new NodeContainer(name);
  }

  String name() {
    return name;
  }

  /** Runs a command in the node, failing with its output unless it succeeds. */
  String exec(String... command) {
    return docker(COMMAND_TIMEOUT, execArgs(command));
  }

  /** Runs a command in the node and returns whatever happened. */
  Command.Result tryExec(String... command) {
    return DockerCli.run(COMMAND_TIMEOUT, null, execArgs(command));
  }

  /** Runs a shell script in the node, failing with its output unless it succeeds. */
  String shell(String script) {
    return exec("bash", "-c", script);
  }

  /** Writes a file the way CAPD writes bootstrap files: through docker exec, from stdin. */
  void writeFile(String path, String content) {
    exec("mkdir", "-p", path.substring(0, path.lastIndexOf('/')));
    Command.Result result = DockerCli.run(COMMAND_TIMEOUT, content, "exec", "-i", name, "cp", "/dev/stdin", path);
    if (!result.ok()) {
      throw new IllegalStateException("writing " + path + " in " + name + " failed:\n" + result.output());
    }
  }

  /** kubectl in the node with the cluster admin's kubeconfig kubeadm wrote. */
  Command.Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"));
    command.addAll(List.of(args));
    return tryExec(command.toArray(String[]::new));
  }

  /** What one needs to see why the node did not do what was expected. */
  String diagnostics() {
    StringBuilder out = new StringBuilder("---- node ").append(name).append('\n');
    for (String script :
        List.of(
            "systemctl is-system-running; systemctl --failed --no-legend",
            "crictl ps -a",
            "journalctl -u kubelet --no-pager | tail -n 40",
            "journalctl -u node-cni -u containerd --no-pager | tail -n 20")) {
      out.append("$ ").append(script).append('\n').append(tryExec("bash", "-c", script).output()).append('\n');
    }
    return out.toString();
  }

  /** Removes the container with its anonymous volumes (/var), whatever state it is in. */
  void remove() {
    DockerCli.run(COMMAND_TIMEOUT, null, "rm", "-f", "-v", name);
  }

  private String[] execArgs(String... command) {
    List<String> args = new ArrayList<>(List.of("exec", name));
    args.addAll(List.of(command));
    return args.toArray(String[]::new);
  }
}
