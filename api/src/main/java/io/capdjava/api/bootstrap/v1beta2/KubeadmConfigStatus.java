package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The observed state of a KubeadmConfig; initialization and dataSecretName are what CAPI core reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeadmConfigStatus {
  /** Ready, DataSecretAvailable, CertificatesAvailable, Paused. */
  @ListType(value = "map", mapKeys = "type")
  @Size(max = 32)
  public List<Condition> conditions;

  @MinProperties(1)
  public KubeadmConfigInitializationStatus initialization;

  /** Name of the Secret holding the bootstrap data (contract field). */
  @Size(min = 1, max = 253)
  public String dataSecretName;

  @Min(1)
  public Long observedGeneration;

  public KubeadmConfigDeprecatedStatus deprecated;
}
