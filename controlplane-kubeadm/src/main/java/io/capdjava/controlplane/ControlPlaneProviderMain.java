package io.capdjava.controlplane;

import io.capdjava.core.manager.ManagementClient;
import io.capdjava.controlplane.workload.WorkloadClusters;
import io.capdjava.controlplane.workload.WorkloadKubeadmConfigMap;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.manager.ManagerFlags;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * The kubeadm control plane provider as a process, against the cluster of the current KUBECONFIG (or the in-cluster
 * service account). Flags: the manager's ({@link ManagerFlags#forManager}).
 */
public final class ControlPlaneProviderMain {
  /** Beside upstream KCP's {@code kubeadm-control-plane-manager-leader-election-capi}, never the same lease. */
  public static final String LEASE_NAME = "kubeadm-control-plane-manager-leader-election-capd-java";
  public static final int DEFAULT_CONCURRENCY = 10;

  private ControlPlaneProviderMain() {}

  public static ManagerFlags flags() {
    return ManagerFlags.forManager("controlplane-kubeadm", LEASE_NAME, DEFAULT_CONCURRENCY);
  }

  public static void main(String[] args) {
    ManagerFlags.Parsed flags = flags().parseOrExit(args);
    KubernetesClient client = ManagementClient.build();
    ProviderManager manager = start(client, flags.options());
    Runtime.getRuntime().addShutdownHook(new Thread(manager::close, "shutdown"));
  }

  /** Starts the KubeadmControlPlane controller; returns the running manager (tests start it the same way). */
  public static ProviderManager start(KubernetesClient client, ManagerOptions options) {
    ProviderManager manager = new ProviderManager(client, options);
    register(manager, client, manager.closeOnStop(new WorkloadClusterClients(client)));
    manager.start();
    return manager;
  }

  /** Registers the KubeadmControlPlane controller with {@code manager} (which may run other providers' too). */
  public static void register(ProviderManager manager, KubernetesClient client, WorkloadClusterClients workloads) {
    manager.register(new KubeadmControlPlaneReconciler(client, manager.informers(),
        new WorkloadKubeadmConfigMap(workloads), new WorkloadClusters(client, workloads), Clock.systemUTC()));
  }
}
