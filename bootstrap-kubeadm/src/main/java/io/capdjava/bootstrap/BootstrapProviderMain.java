package io.capdjava.bootstrap;

import io.capdjava.core.manager.ManagementClient;
import io.capdjava.bootstrap.reconciler.KubeadmConfigReconciler;
import io.capdjava.core.GoDuration;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.manager.ManagerFlags;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * The kubeadm bootstrap provider as a process, against the cluster of the current KUBECONFIG (or the in-cluster
 * service account). KubeadmConfigTemplates need no controller: CAPI core clones them into KubeadmConfigs. Flags: the
 * manager's ({@link ManagerFlags#forManager}) and upstream CABPK's {@code --bootstrap-token-ttl}.
 */
public final class BootstrapProviderMain {
  /** Beside upstream CABPK's {@code kubeadm-bootstrap-manager-leader-election-capi}, never the same lease. */
  public static final String LEASE_NAME = "kubeadm-bootstrap-manager-leader-election-capd-java";
  public static final int DEFAULT_CONCURRENCY = 10;
  public static final String TOKEN_TTL = "bootstrap-token-ttl";

  private BootstrapProviderMain() {}

  public static ManagerFlags flags() {
    return ManagerFlags.forManager("bootstrap-kubeadm", LEASE_NAME, DEFAULT_CONCURRENCY)
        .option(TOKEN_TTL, "15m", "lifetime of join tokens, a Go duration");
  }

  public static void main(String[] args) {
    ManagerFlags.Parsed flags = flags().parseOrExit(args);
    Duration ttl;
    try {
      ttl = tokenTtl(flags);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = ManagementClient.build();
    ProviderManager manager = start(client, flags.options(), ttl);
    Runtime.getRuntime().addShutdownHook(new Thread(manager::close, "shutdown"));
  }

  /** Starts the KubeadmConfig controller; returns the running manager (tests start it the same way). */
  public static ProviderManager start(KubernetesClient client, ManagerOptions options, Duration tokenTtl) {
    ProviderManager manager = new ProviderManager(client, options);
    register(manager, client, manager.closeOnStop(new WorkloadClusterClients(client)), tokenTtl);
    manager.start();
    return manager;
  }

  /** Registers the KubeadmConfig controller with {@code manager} (which may run other providers' too). */
  public static void register(ProviderManager manager, KubernetesClient client, WorkloadClusterClients workloads,
      Duration tokenTtl) {
    manager.register(new KubeadmConfigReconciler(client, manager.informers(), workloads, tokenTtl,
        new EventRecorder(client, "capd-java-kubeadm-bootstrap")));
  }

  /** The value of {@code --bootstrap-token-ttl}; fails naming the flag. */
  public static Duration tokenTtl(ManagerFlags.Parsed flags) {
    return goDuration(flags.get(TOKEN_TTL));
  }

  static Duration goDuration(String text) {
    try {
      Duration d = GoDuration.parse(text);
      if (d.isZero()) throw new IllegalArgumentException("must be more than 0");
      return d;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + TOKEN_TTL + ": " + e.getMessage(), e);
    }
  }
}
