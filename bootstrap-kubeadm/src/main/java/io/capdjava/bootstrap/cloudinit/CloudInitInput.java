package io.capdjava.bootstrap.cloudinit;

import io.capdjava.api.bootstrap.v1beta2.DiskSetup;
import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.NTP;
import io.capdjava.api.bootstrap.v1beta2.User;
import java.util.List;

/**
 * Everything one cloud-config is made of (upstream {@code cloudinit.BaseUserData} plus the kubeadm documents):
 * certificate files first, then the user's files (content already resolved), then commands, users, ntp and disks.
 * {@code kubeadmVerbosity} is {@code --v <n>} or empty.
 */
public record CloudInitInput(
    List<File> certificateFiles,
    List<File> additionalFiles,
    List<String> bootCommands,
    List<String> preKubeadmCommands,
    List<String> postKubeadmCommands,
    List<User> users,
    NTP ntp,
    DiskSetup diskSetup,
    List<List<String>> mounts,
    String kubeadmVerbosity) {}
