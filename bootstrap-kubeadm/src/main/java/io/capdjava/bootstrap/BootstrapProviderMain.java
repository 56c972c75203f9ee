package io.capdjava.bootstrap;

import io.capdjava.bootstrap.reconciler.KubeadmConfigReconciler;
import io.capdjava.core.GoDuration;
import io.capdjava.core.WorkloadClusterClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubeadm bootstrap provider as a process, against the cluster of the current KUBECONFIG (or the in-cluster
 * service account). KubeadmConfigTemplates need no controller: CAPI core clones them into KubeadmConfigs.
 *
 * <pre>
 *   --namespace=NS                 watch only this namespace (default: all)
 *   --bootstrap-token-ttl=DURATION lifetime of join tokens, a Go duration such as 15m (default 15m)
 *   --concurrency=N                KubeadmConfigs reconciled at once (default 10)
 * </pre>
 */
public final class BootstrapProviderMain {
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapProviderMain.class);

  private BootstrapProviderMain() {}

  public static void main(String[] args) {
    Map<String, String> flags = flags(args);
    Duration ttl = flags.containsKey("bootstrap-token-ttl")
        ? goDuration(flags.get("bootstrap-token-ttl")) : KubeadmConfigReconciler.DEFAULT_TOKEN_TTL;
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = start(client, flags.get("namespace"), ttl,
        Integer.parseInt(flags.getOrDefault("concurrency", "10")));
    Runtime.getRuntime().addShutdownHook(new Thread(operator::stop, "shutdown"));
    LOG.info("capd-java kubeadm bootstrap provider started (bootstrap token TTL {})", ttl);
  }

  /** Starts the KubeadmConfig controller; returns the running operator (tests start it the same way). */
  public static Operator start(KubernetesClient client, String namespace, Duration tokenTtl, int concurrency) {
    WorkloadClusterClients workloads = new WorkloadClusterClients(client);
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withConcurrentReconciliationThreads(concurrency)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true));
    Set<String> namespaces = namespace == null || namespace.isEmpty() ? Set.of() : Set.of(namespace);
    operator.register(new KubeadmConfigReconciler(client, workloads, tokenTtl),
        c -> {
          if (!namespaces.isEmpty()) c.settingNamespaces(namespaces);
        });
    operator.start();
    return operator;
  }

  static Duration goDuration(String text) {
    try {
      Duration d = GoDuration.parse(text);
      if (d.isZero()) throw new IllegalArgumentException("must be more than 0");
      return d;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--bootstrap-token-ttl: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    Arrays.stream(args).forEach(a -> {
      if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("unknown argument: " + a);
      String name = a.substring(2, a.indexOf('='));
      if (!Set.of("namespace", "bootstrap-token-ttl", "concurrency").contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
      flags.put(name, a.substring(a.indexOf('=') + 1));
    });
    return flags;
  }
}
