package io.capdjava.e2e.chain;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The RBAC our components YAML grants each provider (packaging/target/clusterctl-repo), installed into the management
 * plane, and clients that act as each provider's service account through impersonation: a provider running with them
 * can do exactly what it could do when installed by clusterctl.
 */
final class ProviderServiceAccounts {
  private static final Set<String> RBAC_KINDS =
      Set.of("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  private ProviderServiceAccounts() {}

  /**
   * A provider installed from its components YAML: a client acting as its service account, the arguments of its
   * Deployment's manager container, and its namespace (where its Lease lives).
   */
  record ProviderAccount(KubernetesClient client, List<String> managerArgs, String namespace)
      implements AutoCloseable {
    /** The Deployment's arguments, watching {@code watched} and serving its endpoints on free local ports. */
    String[] argsRunningHere(String watched) {
      List<String> args = new java.util.ArrayList<>(managerArgs);
      // what the pod gets from its spec (POD_NAMESPACE) and from owning its network namespace (fixed ports)
      args.addAll(List.of("--namespace=" + watched, "--leader-election-namespace=" + namespace,
          "--health-addr=127.0.0.1:0", "--diagnostics-address=127.0.0.1:0"));
      return args.toArray(String[]::new);
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** Installs the provider's namespace, service account and roles; returns a client acting as that account. */
  static ProviderAccount install(KubernetesClient admin, Path kubeconfig, String componentsFile) throws Exception {
    Path file = ClusterManifest.repoRoot().resolve("packaging/target/clusterctl-repo").resolve(componentsFile);
    // clusterctl variables take their defaults, as `clusterctl init` without settings does
    String yaml = Files.readString(file).replaceAll("\\$\\{[A-Z0-9_]+:=([^}]*)}", "$1");
    List<HasMetadata> objects =
        admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    ServiceAccount account = null;
    List<String> managerArgs = List.of();
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d) managerArgs = d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
      if (!RBAC_KINDS.contains(o.getKind())) continue;
      admin.resource(o).serverSideApply();
      if (o instanceof ServiceAccount sa) account = sa;
    }
    if (account == null) throw new IllegalStateException(componentsFile + " has no ServiceAccount");
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    String ns = account.getMetadata().getNamespace();
    config.setImpersonateUsername("system:serviceaccount:" + ns + ":" + account.getMetadata().getName());
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated");
    return new ProviderAccount(new KubernetesClientBuilder().withConfig(config).build(), managerArgs, ns);
  }
}
