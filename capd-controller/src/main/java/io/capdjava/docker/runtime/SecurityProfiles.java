package io.capdjava.docker.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the security profile: the configured one, else what the engine allows, said in one log line. */
public final class SecurityProfiles {
  private static final Logger LOG = LoggerFactory.getLogger(SecurityProfiles.class);

  private SecurityProfiles() {}

  /** @param configured {@code privileged}, {@code restricted}, or null/{@code auto} to detect */
  public static SecurityProfile choose(String configured, ContainerRuntime runtime) {
    if (configured != null && !configured.isBlank() && !configured.equals("auto")) {
      SecurityProfile profile = SecurityProfile.parse(configured);
      LOG.info("security profile: {} (configured)", profile);
      return profile;
    }
    var probe = runtime.anyLocalImage();
    if (probe.isEmpty()) {
      LOG.info("security profile: privileged (upstream's default; the engine has no local image to probe it with)");
      return SecurityProfile.privileged();
    }
    if (runtime.privilegedAllowed(probe.get())) {
      LOG.info("security profile: privileged (detected: the engine runs privileged containers)");
      return SecurityProfile.privileged();
    }
    SecurityProfile restricted = SecurityProfile.restricted(SecurityProfile.DEFAULT_DROPPED);
    LOG.info("security profile: {} (detected: the engine refuses privileged containers on this host)", restricted);
    return restricted;
  }
}
