package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A KubeadmControlPlaneSpec without replicas, version and infrastructureRef, which the topology controller fills in.
 * Like upstream, the certificate rules only apply when rollout.strategy is set (on a KubeadmControlPlane it always is).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.rollout) || !has(self.rollout.strategy)"
            + " || !self.?kubeadmConfigSpec.?clusterConfiguration.?certificateValidityPeriodDays.hasValue()"
            + " || self.kubeadmConfigSpec.clusterConfiguration.certificateValidityPeriodDays"
            + " <= self.kubeadmConfigSpec.clusterConfiguration.?caCertificateValidityPeriodDays.orValue(3650)",
    message = "kubeadmConfigSpec." + KcpConfigRules.CERTIFICATE_VALIDITY_MESSAGE,
    fieldPath = ".kubeadmConfigSpec.clusterConfiguration.certificateValidityPeriodDays")
@ValidationRule(
    value =
        "!has(self.rollout) || !has(self.rollout.strategy) || ("
            + KubeadmControlPlaneSpec.CERTIFICATES_EXPIRY_DAYS_RULE
            + ")",
    message =
        "rollout.before.certificatesExpiryDays must be less than"
            + " kubeadmConfigSpec.clusterConfiguration.certificateValidityPeriodDays",
    fieldPath = ".rollout.before.certificatesExpiryDays")
public class KubeadmControlPlaneTemplateResourceSpec {
  @MinProperties(1)
  public KubeadmControlPlaneTemplateMachineTemplate machineTemplate;

  @MinProperties(1)
  @ValidationRule(
      value = KcpConfigRules.HEALTH_CHECK_SECONDS_EQUAL,
      message = KcpConfigRules.HEALTH_CHECK_SECONDS_EQUAL_MESSAGE,
      fieldPath = ".initConfiguration")
  @ValidationRule(
      value = KcpConfigRules.NOT_BOTH_ETCD,
      message = KcpConfigRules.NOT_BOTH_ETCD_MESSAGE,
      fieldPath = ".clusterConfiguration.etcd")
  @ValidationRule(
      value = KcpConfigRules.DNS_IMAGE_TAG,
      message = KcpConfigRules.DNS_IMAGE_TAG_MESSAGE,
      fieldPath = ".clusterConfiguration.dns.imageTag")
  @ValidationRule(
      value = KcpConfigRules.ETCD_IMAGE_TAG,
      message = KcpConfigRules.ETCD_IMAGE_TAG_MESSAGE,
      fieldPath = ".clusterConfiguration.etcd.local.imageTag")
  // webhook-only: dns.imageTag must parse as a (tolerant) semver CoreDNS version
  public KubeadmConfigSpec kubeadmConfigSpec;

  @MinProperties(1)
  public KubeadmControlPlaneRolloutSpec rollout;

  @MinProperties(1)
  public KubeadmControlPlaneRemediationSpec remediation;

  @MinProperties(1)
  public MachineNamingSpec machineNaming;
}
