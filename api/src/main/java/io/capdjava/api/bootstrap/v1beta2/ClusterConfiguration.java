package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * Cluster-wide kubeadm configuration used for {@code kubeadm init}; name, version and networking come from the
 * Cluster and Machine instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterConfiguration {
  /** Defaults to a local (stacked) etcd. */
  @MinProperties(1)
  public Etcd etcd;

  /** IP or DNS name with optional port; filled from the Cluster's control plane endpoint when empty. */
  @Size(min = 1, max = 512)
  public String controlPlaneEndpoint;

  @MinProperties(1)
  public APIServer apiServer;

  @MinProperties(1)
  public ControllerManager controllerManager;

  @MinProperties(1)
  public Scheduler scheduler;

  @MinProperties(1)
  public DNS dns;

  /** Defaults to {@code /etc/kubernetes/pki}. */
  @Size(min = 1, max = 512)
  public String certificatesDir;

  @Size(min = 1, max = 512)
  public String imageRepository;

  public Map<String, Boolean> featureGates;

  /** Validity of non-CA certificates kubeadm generates (kubeadm default 365; Kubernetes 1.31+). */
  @Min(1)
  @Max(1095)
  public Integer certificateValidityPeriodDays;

  /** Validity of the CA certificates Cluster API generates (default 3650). */
  @Min(1)
  @Max(36500)
  public Integer caCertificateValidityPeriodDays;

  /** Key algorithm for keys and certificates (default RSA-2048). */
  @Enum({"ECDSA-P256", "ECDSA-P384", "RSA-2048", "RSA-3072", "RSA-4096"})
  public String encryptionAlgorithm;
}
