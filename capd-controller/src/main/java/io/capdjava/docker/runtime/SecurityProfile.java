package io.capdjava.docker.runtime;

import java.util.List;

/**
 * How node and load-balancer containers get the powers a node needs (systemd, nested containers, iptables).
 *
 * <p>{@code PRIVILEGED} is upstream's behaviour. {@code RESTRICTED} is for hosts where the engine cannot run
 * privileged containers because a capability is missing from the host's bounding set (runc refuses to start them):
 * every capability but the missing ones, seccomp and AppArmor unconfined, unconfined /proc and /sys, all devices
 * allowed, and a private cgroup namespace, which systemd needs on cgroup v1 without privileges.
 */
public record SecurityProfile(Kind kind, List<String> droppedCapabilities) {
  public enum Kind {
    PRIVILEGED,
    RESTRICTED
  }

  /** The capability Firecracker-style VMs lack (CAP_SYS_RESOURCE), which makes privileged containers fail. */
  public static final List<String> DEFAULT_DROPPED = List.of("SYS_RESOURCE");

  public static SecurityProfile privileged() {
    return new SecurityProfile(Kind.PRIVILEGED, List.of());
  }

  public static SecurityProfile restricted(List<String> dropped) {
    return new SecurityProfile(Kind.RESTRICTED, List.copyOf(dropped));
  }

  public static SecurityProfile parse(String value) {
    return switch (value) {
      case "privileged" -> privileged();
      case "restricted" -> restricted(DEFAULT_DROPPED);
      default -> throw new IllegalArgumentException(
          "unknown security profile '" + value + "': expected privileged or restricted");
    };
  }

  @Override
  public String toString() {
    return kind == Kind.PRIVILEGED
        ? "privileged"
        : "restricted (all capabilities but " + String.join(",", droppedCapabilities)
            + "; seccomp, apparmor and system paths unconfined; all devices; private cgroup namespace)";
  }
}
