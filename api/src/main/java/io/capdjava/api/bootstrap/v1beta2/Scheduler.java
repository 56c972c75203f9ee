package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/** Extra settings for the kube-scheduler static pod kubeadm writes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Scheduler {
  /** Override kubeadm's default flags. */
  @ListType(value = "map", mapKeys = {"name", "value"})
  @Size(min = 1, max = 100)
  @ValidationRule(value = "self.all(x, self.exists_one(y, x.name == y.name))", message = "extraArgs name must be unique")
  public List<Arg> extraArgs;

  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<HostPathMount> extraVolumes;

  /** Override kubeadm's defaults, including *_proxy variables (Kubernetes 1.31+). */
  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<EnvVar> extraEnvs;
}
