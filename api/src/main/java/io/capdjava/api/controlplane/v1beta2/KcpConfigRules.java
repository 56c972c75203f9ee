package io.capdjava.api.controlplane.v1beta2;

/**
 * CEL rules KCP's webhook applies to the embedded KubeadmConfigSpec (self = kubeadmConfigSpec), shared by
 * KubeadmControlPlane and KubeadmControlPlaneTemplate. They live here, not on the bootstrap classes, because a
 * plain KubeadmConfig is not held to them.
 */
final class KcpConfigRules {
  static final String HEALTH_CHECK_SECONDS_EQUAL =
      "self.?initConfiguration.?timeouts.?controlPlaneComponentHealthCheckSeconds"
          + " == self.?joinConfiguration.?timeouts.?controlPlaneComponentHealthCheckSeconds";
  static final String HEALTH_CHECK_SECONDS_EQUAL_MESSAGE =
      "controlPlaneComponentHealthCheckSeconds must be set to the same value both in initConfiguration.timeouts"
          + " and in joinConfiguration.timeouts";

  static final String NOT_BOTH_ETCD =
      "!(self.?clusterConfiguration.?etcd.?local.hasValue() && self.?clusterConfiguration.?etcd.?external.hasValue())";
  static final String NOT_BOTH_ETCD_MESSAGE = "clusterConfiguration.etcd: cannot have both external and local etcd";

  /** Upstream's container.ImageTagIsValid: only letters, digits, '-', '_' and '.'. */
  static final String DNS_IMAGE_TAG =
      "!has(self.clusterConfiguration) || !has(self.clusterConfiguration.dns)"
          + " || !has(self.clusterConfiguration.dns.imageTag)"
          + " || self.clusterConfiguration.dns.imageTag.matches('^[-a-zA-Z0-9_.]*$')";
  static final String DNS_IMAGE_TAG_MESSAGE = "clusterConfiguration.dns.imageTag is not a valid image tag";

  static final String ETCD_IMAGE_TAG =
      "!has(self.clusterConfiguration) || !has(self.clusterConfiguration.etcd)"
          + " || !has(self.clusterConfiguration.etcd.local) || !has(self.clusterConfiguration.etcd.local.imageTag)"
          + " || self.clusterConfiguration.etcd.local.imageTag.matches('^[-a-zA-Z0-9_.]*$')";
  static final String ETCD_IMAGE_TAG_MESSAGE = "clusterConfiguration.etcd.local.imageTag is not a valid image tag";

  /** Without caCertificateValidityPeriodDays the CA lives 3650 days (secret.DefaultCACertificatesExpiryDays). */
  static final String CERTIFICATE_VALIDITY =
      "!self.?clusterConfiguration.?certificateValidityPeriodDays.hasValue()"
          + " || self.clusterConfiguration.certificateValidityPeriodDays"
          + " <= self.clusterConfiguration.?caCertificateValidityPeriodDays.orValue(3650)";
  static final String CERTIFICATE_VALIDITY_MESSAGE =
      "clusterConfiguration.certificateValidityPeriodDays must be less than or equal to"
          + " caCertificateValidityPeriodDays (3650 when unset)";

  private KcpConfigRules() {}
}
