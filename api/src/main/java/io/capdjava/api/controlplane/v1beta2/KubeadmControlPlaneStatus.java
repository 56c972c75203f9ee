package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/** The observed state of a KubeadmControlPlane. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmControlPlaneStatus {
  /**
   * Available, Initialized, CertificatesAvailable, EtcdClusterHealthy, ControlPlaneComponentsHealthy, MachinesReady,
   * MachinesUpToDate, RollingOut, ScalingUp, ScalingDown, Remediating, Deleting, Paused.
   */
  @ListType(value = "map", mapKeys = "type")
  @Size(max = 32)
  public List<Condition> conditions;

  @MinProperties(1)
  public KubeadmControlPlaneInitializationStatus initialization;

  /** The Machines' label selector in query-param form, for the scale subresource. */
  @LabelSelector
  @Size(min = 1, max = 4096)
  public String selector;

  /** Non-terminated Machines matching the selector. */
  @StatusReplicas
  public Integer replicas;

  /** Machines whose Ready condition is true. */
  public Integer readyReplicas;

  /** Machines whose Available condition is true. */
  public Integer availableReplicas;

  /** Machines whose UpToDate condition is true. */
  public Integer upToDateReplicas;

  /** Machines per Kubernetes version, oldest first. */
  @ListType(value = "map", mapKeys = "version")
  @Size(min = 1, max = 100)
  public List<StatusVersion> versions;

  /** Deprecated: the oldest version in versions. */
  @Size(min = 1, max = 256)
  public String version;

  @Min(1)
  public Long observedGeneration;

  public LastRemediationStatus lastRemediation;

  public KubeadmControlPlaneDeprecatedStatus deprecated;
}
