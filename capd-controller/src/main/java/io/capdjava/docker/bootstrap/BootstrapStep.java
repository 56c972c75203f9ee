package io.capdjava.docker.bootstrap;

import java.util.List;

/**
 * One command of a machine's bootstrap, run in the node container in order.
 *
 * @param description what a user reads in a failure message ("write /run/kubeadm/kubeadm.yaml", "runcmd[3]: ...")
 * @param input bytes put at {@link #INPUT_PATH} before the command runs (a file's content), or null
 */
public record BootstrapStep(String description, List<String> command, byte[] input) {
  /**
   * Where a step's input waits for its command. Not under /tmp or /run: they are tmpfs mounts in node containers, and
   * the engine's archive copy writes beneath a tmpfs, where no process sees it; /var is a volume, which it handles.
   */
  public static final String INPUT_PATH = "/var/lib/capd-java/bootstrap-input";
}
