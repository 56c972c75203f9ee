package io.capdjava.docker;

import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.docker.reconcile.DockerClusterReconciler;
import io.capdjava.docker.reconcile.DockerMachineReconciler;
import io.capdjava.docker.reconcile.DockerMachineTemplateReconciler;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfile;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker infrastructure provider as a process: against the cluster of the current KUBECONFIG (or the in-cluster
 * service account), and the Docker engine of DOCKER_HOST or the default socket.
 *
 * <pre>
 *   --namespace=NS                      watch only this namespace (default: all)
 *   --security-profile=auto|privileged|restricted   how node containers get their powers (default: auto)
 *   --concurrency=N                     machines provisioned at once (default 20)
 * </pre>
 */
public final class DockerProviderMain {
  private static final Logger LOG = LoggerFactory.getLogger(DockerProviderMain.class);

  private DockerProviderMain() {}

  public static void main(String[] args) {
    Map<String, String> flags = flags(args);
    KubernetesClient client = new KubernetesClientBuilder().build();
    DockerEngineRuntime runtime = DockerEngineRuntime.connect();
    SecurityProfile security = SecurityProfiles.choose(flags.get("security-profile"), runtime);
    Operator operator = start(client, runtime, security, flags.get("namespace"),
        Integer.parseInt(flags.getOrDefault("concurrency", "20")));
    Runtime.getRuntime().addShutdownHook(new Thread(operator::stop, "shutdown"));
    LOG.info("capd-java Docker infrastructure provider started");
  }

  /** Starts the provider's controllers; returns the running operator (tests start it the same way). */
  public static Operator start(KubernetesClient client, DockerEngineRuntime runtime, SecurityProfile security,
      String namespace, int concurrency) {
    WorkloadClusterClients workloadClusters = new WorkloadClusterClients(client);
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withConcurrentReconciliationThreads(concurrency)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true));
    Set<String> namespaces = namespace == null || namespace.isEmpty() ? Set.of() : Set.of(namespace);
    operator.register(new DockerClusterReconciler(client, runtime, security), c -> watch(c, namespaces));
    operator.register(new DockerMachineReconciler(client, runtime, security, workloadClusters, false),
        c -> watch(c, namespaces));
    operator.register(new DockerMachineTemplateReconciler(runtime), c -> watch(c, namespaces));
    operator.start();
    return operator;
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<R> watch(
          io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<R> c, Set<String> namespaces) {
    return namespaces.isEmpty() ? c : c.settingNamespaces(namespaces);
  }

  private static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    Arrays.stream(args).forEach(a -> {
      if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("unknown argument: " + a);
      flags.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    });
    return flags;
  }
}
