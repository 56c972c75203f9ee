package io.capdjava.docker;

import io.capdjava.core.manager.ManagementClient;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.core.manager.ManagerFlags;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.inmemory.InMemoryListeners;
import io.capdjava.docker.inmemory.workload.SimulatedClusters;
import io.capdjava.docker.reconcile.DockerClusterReconciler;
import io.capdjava.docker.reconcile.DockerMachineReconciler;
import io.capdjava.docker.reconcile.DevClusterReconciler;
import io.capdjava.docker.reconcile.DevMachinePoolReconciler;
import io.capdjava.docker.reconcile.DevMachineReconciler;
import io.capdjava.docker.reconcile.DockerMachinePoolReconciler;
import io.capdjava.docker.reconcile.MachineTemplateCapacityReconciler;
import io.capdjava.docker.runtime.ContainerLimits;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.HostLimits;
import io.capdjava.docker.runtime.SecurityProfile;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Docker infrastructure provider as a process: against the cluster of the current KUBECONFIG (or the in-cluster
 * service account), and the Docker engine of DOCKER_HOST or the default socket. Flags: the manager's
 * ({@link ManagerFlags#forManager}), {@code --security-profile=auto|privileged|restricted}, how node containers
 * get their powers, and {@code --podman-limits} (on Podman only, see {@link ContainerLimits}).
 */
public final class DockerProviderMain {
  /** Beside upstream CAPD's {@code controller-leader-election-capd}, never the same lease. */
  public static final String LEASE_NAME = "controller-leader-election-capd-java";
  public static final int DEFAULT_CONCURRENCY = 20;

  private DockerProviderMain() {}

  public static ManagerFlags flags() {
    return ManagerFlags.forManager("capd-controller", LEASE_NAME, DEFAULT_CONCURRENCY)
        .option("security-profile", "auto", "how node containers get their powers: auto, privileged or restricted")
        .option(ContainerLimits.FLAG, "", PODMAN_LIMITS_HELP)
        .option(InMemoryListeners.HOST_FLAG, "", InMemoryListeners.HOST_HELP)
        .option(InMemoryListeners.PORTS_FLAG, InMemoryListeners.DEFAULT_PORTS, InMemoryListeners.PORTS_HELP);
  }

  /** The in-memory listener flags; a bad value exits with status 2, naming the flag. */
  public static InMemoryListeners inMemoryListenersOrExit(ManagerFlags.Parsed flags) {
    try {
      return InMemoryListeners.parse(flags.get(InMemoryListeners.HOST_FLAG), flags.get(InMemoryListeners.PORTS_FLAG));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return null;
    }
  }

  public static final String PODMAN_LIMITS_HELP = "on Podman, the open-file and process limits of node and load"
      + " balancer containers, nofile=N,nproc=M (default: the Podman service's own, read when its socket is local)";

  /** The engine of DOCKER_HOST; a bad {@code --podman-limits} exits with status 2, naming the flag. */
  public static DockerEngineRuntime connectOrExit(String podmanLimits) {
    try {
      if (podmanLimits != null && !podmanLimits.isBlank()) ContainerLimits.parse(podmanLimits, new ContainerLimits(1, 1));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
    return DockerEngineRuntime.connect(podmanLimits);
  }

  public static void main(String[] args) {
    ManagerFlags.Parsed flags = flags().parseOrExit(args);
    KubernetesClient client = ManagementClient.build();
    DockerEngineRuntime runtime = connectOrExit(flags.get(ContainerLimits.FLAG));
    SecurityProfile security = SecurityProfiles.choose(flags.get("security-profile"), runtime);
    ProviderManager manager = start(client, runtime, security, flags.options(), inMemoryListenersOrExit(flags));
    Runtime.getRuntime().addShutdownHook(new Thread(manager::close, "shutdown"));
  }

  /** Starts the provider's controllers; returns the running manager (tests start it the same way). */
  public static ProviderManager start(KubernetesClient client, DockerEngineRuntime runtime, SecurityProfile security,
      ManagerOptions options) {
    return start(client, runtime, security, options, InMemoryListeners.defaults());
  }

  public static ProviderManager start(KubernetesClient client, DockerEngineRuntime runtime, SecurityProfile security,
      ManagerOptions options, InMemoryListeners listeners) {
    ProviderManager manager = new ProviderManager(client, options);
    register(manager, client, runtime, security, manager.closeOnStop(new WorkloadClusterClients(client)), listeners);
    manager.start();
    return manager;
  }

  /** Registers the provider's controllers with {@code manager} (which may run other providers' too). */
  public static void register(ProviderManager manager, KubernetesClient client, DockerEngineRuntime runtime,
      SecurityProfile security, WorkloadClusterClients workloadClusters) {
    register(manager, client, runtime, security, workloadClusters, InMemoryListeners.defaults());
  }

  /** As above, the in-memory backend's workload API servers listening where {@code listeners} says. */
  public static void register(ProviderManager manager, KubernetesClient client, DockerEngineRuntime runtime,
      SecurityProfile security, WorkloadClusterClients workloadClusters, InMemoryListeners listeners) {
    EventRecorder events = new EventRecorder(client, "capd-java-controller");
    HostLimits hostLimits = HostLimits.forThisEngine();
    SimulatedClusters simulated = manager.closeOnStop(listeners.open());
    SharedInformers informers = manager.informers();
    // upstream v1.14's Dev* kinds and the deprecated Docker* kinds, one docker backend behind both; the Dev* kinds
    // also the in-memory backend
    manager.register(new DevClusterReconciler(client, informers, runtime, security, events, simulated));
    manager.register(new DevMachineReconciler(client, informers, runtime, security, hostLimits, workloadClusters,
        events, simulated));
    manager.register(new MachineTemplateCapacityReconciler.ForDevMachineTemplate(runtime));
    manager.register(new DockerClusterReconciler(client, informers, runtime, security, events));
    manager.register(new DockerMachineReconciler(client, informers, runtime, security, hostLimits, workloadClusters,
        events));
    manager.register(new MachineTemplateCapacityReconciler.ForDockerMachineTemplate(runtime));
    manager.register(new DevMachinePoolReconciler(client, informers, runtime, security, hostLimits, events));
    manager.register(new DockerMachinePoolReconciler(client, informers, runtime, security, hostLimits, events));
  }
}
