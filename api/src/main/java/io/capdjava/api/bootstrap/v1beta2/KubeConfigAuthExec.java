package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A kubeconfig exec credential plugin (client.authentication.k8s.io). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeConfigAuthExec {
  @Required
  @Size(min = 1, max = 1024)
  public String command;

  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<@Size(min = 1, max = 512) String> args;

  /** Added to the host's environment when running the plugin. */
  @ListType("atomic")
  @Size(min = 1, max = 100)
  public List<KubeConfigAuthExecEnv> env;

  /** ExecCredential version; defaults to {@code client.authentication.k8s.io/v1}. */
  @Size(min = 1, max = 512)
  public String apiVersion;

  /** Pass cluster information (possibly large CA data) to the plugin in KUBERNETES_EXEC_INFO. */
  public Boolean provideClusterInfo;
}
