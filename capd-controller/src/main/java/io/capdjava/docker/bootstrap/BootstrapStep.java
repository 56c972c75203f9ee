package io.capdjava.docker.bootstrap;

import java.util.List;

/**
 * One command of a machine's bootstrap, run in the node container in order.
 *
 * @param description what a user reads in a failure message ("write /run/kubeadm/kubeadm.yaml", "runcmd[3]: ...")
 * @param stdin bytes fed to the command (a file's content), or null
 */
public record BootstrapStep(String description, List<String> command, byte[] stdin) {}
