package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/** Settings for the etcd kubeadm runs as a static pod on each control plane node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalEtcd {
  /** Falls back to ClusterConfiguration's imageRepository. */
  @Size(min = 1, max = 512)
  public String imageRepository;

  @Size(min = 1, max = 256)
  public String imageTag;

  /** Defaults to {@code /var/lib/etcd}. */
  @Size(min = 1, max = 512)
  public String dataDir;

  @ListType(value = "map", mapKeys = {"name", "value"})
  @Size(min = 1, max = 100)
  @ValidationRule(value = "self.all(x, self.exists_one(y, x.name == y.name))", message = "extraArgs name must be unique")
  public List<Arg> extraArgs;

  /** Kubernetes 1.31+. */
  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<EnvVar> extraEnvs;

  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<@Size(min = 1, max = 253) String> serverCertSANs;

  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<@Size(min = 1, max = 253) String> peerCertSANs;
}
