package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** The desired state of a KubeadmControlPlane. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.replicas) || self.replicas % 2 != 0"
            + " || (has(self.kubeadmConfigSpec) && has(self.kubeadmConfigSpec.clusterConfiguration)"
            + " && has(self.kubeadmConfigSpec.clusterConfiguration.etcd)"
            + " && has(self.kubeadmConfigSpec.clusterConfiguration.etcd.external))",
    message = "replicas cannot be an even number when etcd is stacked",
    fieldPath = ".replicas")
@ValidationRule(
    value =
        "!has(self.replicas) || self.replicas >= 3 || !has(self.rollout) || !has(self.rollout.strategy)"
            + " || !has(self.rollout.strategy.rollingUpdate) || !has(self.rollout.strategy.rollingUpdate.maxSurge)"
            + " || (type(self.rollout.strategy.rollingUpdate.maxSurge) == int"
            + " ? self.rollout.strategy.rollingUpdate.maxSurge != 0"
            + " : (self.rollout.strategy.rollingUpdate.maxSurge.matches('^[-+]?[0-9]+$')"
            + " && int(self.rollout.strategy.rollingUpdate.maxSurge) != 0))",
    message =
        "rollout.strategy.rollingUpdate: when KubeadmControlPlane is configured to scale-in (maxSurge 0),"
            + " replica count needs to be at least 3",
    fieldPath = ".rollout.strategy.rollingUpdate")
@ValidationRule(
    value = KubeadmControlPlaneSpec.CERTIFICATES_EXPIRY_DAYS_RULE,
    message =
        "rollout.before.certificatesExpiryDays must be less than"
            + " kubeadmConfigSpec.clusterConfiguration.certificateValidityPeriodDays",
    fieldPath = ".rollout.before.certificatesExpiryDays")
public class KubeadmControlPlaneSpec {
  /** before.certificatesExpiryDays below clusterConfiguration.certificateValidityPeriodDays, when both are set. */
  static final String CERTIFICATES_EXPIRY_DAYS_RULE =
      "!has(self.rollout) || !has(self.rollout.before) || !has(self.rollout.before.certificatesExpiryDays)"
          + " || !has(self.kubeadmConfigSpec) || !has(self.kubeadmConfigSpec.clusterConfiguration)"
          + " || !has(self.kubeadmConfigSpec.clusterConfiguration.certificateValidityPeriodDays)"
          + " || self.rollout.before.certificatesExpiryDays"
          + " < self.kubeadmConfigSpec.clusterConfiguration.certificateValidityPeriodDays";

  /** Upstream's webhook defaults this to 1; here the schema does. */
  @SpecReplicas
  @Min(1)
  @Default("1")
  public Integer replicas;

  // webhook-only: upstream's defaulter prefixes a missing "v"; here a version without it is rejected by the pattern.
  @Required
  @Size(min = 1, max = 256)
  @Pattern(
      "^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
          + "(-(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*)?"
          + "(\\+[0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*)?$")
  @ValidationRule(
      value =
          "!self.matches('^v[0-9]+[.][0-9]+[.]') || !oldSelf.matches('^v[0-9]+[.][0-9]+[.]')"
              + " || int(self.substring(1).split('.')[0]) < int(oldSelf.substring(1).split('.')[0])"
              + " || (int(self.substring(1).split('.')[0]) == int(oldSelf.substring(1).split('.')[0])"
              + " && int(self.split('.')[1]) < int(oldSelf.split('.')[1]) + 2)",
      message = "version cannot be upgraded by more than one minor version at a time")
  public String version;

  @Required
  public KubeadmControlPlaneMachineTemplate machineTemplate;

  // webhook-only: dns.imageTag must parse as a (tolerant) semver CoreDNS version, and a dns.imageTag change needs a
  // CoreDNS up-migration the corefile-migration library supports (unless the skip-coredns annotation is set).
  // webhook-only: removing clusterConfiguration, initConfiguration or joinConfiguration as a whole is forbidden.
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
  @ValidationRule(
      value = KcpConfigRules.CERTIFICATE_VALIDITY,
      message = KcpConfigRules.CERTIFICATE_VALIDITY_MESSAGE,
      fieldPath = ".clusterConfiguration.certificateValidityPeriodDays")
  @ValidationRule(
      value = "self.?clusterConfiguration.?etcd.?external.hasValue()"
          + " == oldSelf.?clusterConfiguration.?etcd.?external.hasValue()",
      message = "clusterConfiguration.etcd: cannot change between external and local etcd",
      fieldPath = ".clusterConfiguration.etcd")
  @ValidationRule(
      value =
          "(has(self.clusterConfiguration) && has(self.clusterConfiguration.controlPlaneEndpoint)"
              + " ? self.clusterConfiguration.controlPlaneEndpoint : '')"
              + " == (has(oldSelf.clusterConfiguration) && has(oldSelf.clusterConfiguration.controlPlaneEndpoint)"
              + " ? oldSelf.clusterConfiguration.controlPlaneEndpoint : '')",
      message = "clusterConfiguration.controlPlaneEndpoint cannot be modified",
      fieldPath = ".clusterConfiguration.controlPlaneEndpoint")
  @ValidationRule(
      value =
          "(has(self.clusterConfiguration) && has(self.clusterConfiguration.certificatesDir)"
              + " ? self.clusterConfiguration.certificatesDir : '')"
              + " == (has(oldSelf.clusterConfiguration) && has(oldSelf.clusterConfiguration.certificatesDir)"
              + " ? oldSelf.clusterConfiguration.certificatesDir : '')",
      message = "clusterConfiguration.certificatesDir cannot be modified",
      fieldPath = ".clusterConfiguration.certificatesDir")
  @ValidationRule(
      value = "self.?clusterConfiguration.?caCertificateValidityPeriodDays"
          + " == oldSelf.?clusterConfiguration.?caCertificateValidityPeriodDays",
      message = "clusterConfiguration.caCertificateValidityPeriodDays cannot be modified",
      fieldPath = ".clusterConfiguration.caCertificateValidityPeriodDays")
  public KubeadmConfigSpec kubeadmConfigSpec;

  @MinProperties(1)
  public KubeadmControlPlaneRolloutSpec rollout;

  @MinProperties(1)
  public KubeadmControlPlaneRemediationSpec remediation;

  @MinProperties(1)
  public MachineNamingSpec machineNaming;
}
