package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.capdjava.api.schema.ListType;
import io.capdjava.api.schema.MinProperties;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The desired state of a KubeadmConfig: the kubeadm init/join configuration plus the cloud-init/Ignition extras that
 * make up a machine's bootstrap data. Also embedded by KubeadmControlPlane and KubeadmConfigTemplate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@MinProperties(1)
public class KubeadmConfigSpec {
  @MinProperties(1)
  public ClusterConfiguration clusterConfiguration;

  @MinProperties(1)
  public InitConfiguration initConfiguration;

  @MinProperties(1)
  public JoinConfiguration joinConfiguration;

  @ListType("atomic")
  @Size(min = 1, max = 200)
  @ValidationRule(
      value = "self.all(x, self.exists_one(y, x.path == y.path))",
      message = "files: path must be unique")
  public List<File> files;

  @MinProperties(1)
  public DiskSetup diskSetup;

  /** Each entry is one cloud-init mounts line (1..100 strings of 1..512 characters). */
  @ListType("atomic")
  @Size(min = 1, max = 100)
  @ValidationRule(
      value = "self.all(m, size(m) >= 1 && size(m) <= 100)",
      message = "mounts: each entry must have between 1 and 100 items")
  // webhook-only: upstream's mounts[][] item length limits (1..512) are not in our schema (nested list items)
  public List<List<String>> mounts;

  @ListType("atomic")
  @Size(min = 1, max = 1000)
  // webhook-only (Ignition): bootCommands are not supported with format ignition
  public List<@Size(min = 1, max = 10240) String> bootCommands;

  @ListType("atomic")
  @Size(min = 1, max = 1000)
  public List<@Size(min = 1, max = 10240) String> preKubeadmCommands;

  @ListType("atomic")
  @Size(min = 1, max = 1000)
  public List<@Size(min = 1, max = 10240) String> postKubeadmCommands;

  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<User> users;

  @MinProperties(1)
  public NTP ntp;

  /** {@code cloud-config} (default when empty) or {@code ignition}. */
  @Enum({"cloud-config", "ignition"})
  // webhook-only: format ignition requires the KubeadmBootstrapFormatIgnition feature gate
  public String format;

  /** Overrides kubeadm's {@code --v} log level. */
  public Integer verbosity;

  @MinProperties(1)
  // webhook-only: ignition requires the KubeadmBootstrapFormatIgnition feature gate and format ignition
  public IgnitionSpec ignition;
}
