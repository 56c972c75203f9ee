package io.capdjava.allinone;

import io.capdjava.core.manager.ManagementClient;
import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneProviderMain;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.manager.ManagerFlags;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.inmemory.InMemoryListeners;
import io.capdjava.docker.runtime.ContainerLimits;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Our three providers in one process: one JVM, one API client, one manager (controllers, leader election Lease,
 * /healthz, /readyz and /metrics), and the workload cluster clients shared between them, where three processes would
 * each load the same libraries, fill the same caches and start the same threads. {@code --providers} picks which run
 * (default all); the other flags are the manager's and the providers' own ({@code --security-profile},
 * {@code --podman-limits}, {@code --bootstrap-token-ttl}).
 */
public final class AllProvidersMain {
  /** One Lease for the process, beside each provider's own (their processes may run elsewhere, never both here). */
  public static final String LEASE_NAME = "capd-java-all-in-one-leader-election";
  static final String PROVIDERS = "providers";
  static final String SECURITY_PROFILE = "security-profile";

  /** The providers this process can run, by the names {@code --providers} takes. */
  enum Provider {
    DOCKER("docker"), BOOTSTRAP("bootstrap"), CONTROL_PLANE("control-plane");

    final String flagName;

    Provider(String flagName) {
      this.flagName = flagName;
    }
  }

  private AllProvidersMain() {}

  static ManagerFlags flags() {
    return ManagerFlags.forManager("all-in-one", LEASE_NAME, DockerProviderMain.DEFAULT_CONCURRENCY)
        .option(PROVIDERS, names(EnumSet.allOf(Provider.class)),
            "the providers this process runs, comma-separated: docker, bootstrap, control-plane")
        .option(SECURITY_PROFILE, "auto", "(docker) how node containers get their powers: auto, privileged or restricted")
        .option(ContainerLimits.FLAG, "", "(docker) " + DockerProviderMain.PODMAN_LIMITS_HELP)
        .option(InMemoryListeners.HOST_FLAG, "", InMemoryListeners.HOST_HELP)
        .option(InMemoryListeners.PORTS_FLAG, InMemoryListeners.DEFAULT_PORTS, InMemoryListeners.PORTS_HELP)
        .option(BootstrapProviderMain.TOKEN_TTL, "15m", "(bootstrap) lifetime of join tokens, a Go duration");
  }

  public static void main(String[] args) {
    ManagerFlags.Parsed flags = flags().parseOrExit(args);
    Set<Provider> providers;
    Duration ttl;
    try {
      providers = providers(flags.get(PROVIDERS));
      ttl = BootstrapProviderMain.tokenTtl(flags);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = ManagementClient.build();
    DockerEngineRuntime runtime = providers.contains(Provider.DOCKER)
        ? DockerProviderMain.connectOrExit(flags.get(ContainerLimits.FLAG)) : null;
    InMemoryListeners listeners = DockerProviderMain.inMemoryListenersOrExit(flags);
    ProviderManager manager = start(client, flags.options(), providers, runtime, flags.get(SECURITY_PROFILE), ttl,
        listeners);
    Runtime.getRuntime().addShutdownHook(new Thread(manager::close, "shutdown"));
  }

  /** Starts the chosen providers' controllers in one manager; returns it running. */
  static ProviderManager start(KubernetesClient client, ManagerOptions options, Set<Provider> providers,
      String securityProfile, Duration tokenTtl) {
    return start(client, options, providers,
        providers.contains(Provider.DOCKER) ? DockerEngineRuntime.connect() : null, securityProfile, tokenTtl);
  }

  /** As above, on an engine already connected to ({@code runtime}, null when the docker provider does not run). */
  static ProviderManager start(KubernetesClient client, ManagerOptions options, Set<Provider> providers,
      DockerEngineRuntime engine, String securityProfile, Duration tokenTtl) {
    return start(client, options, providers, engine, securityProfile, tokenTtl, InMemoryListeners.defaults());
  }

  /** As above, the in-memory backend's workload API servers listening where {@code listeners} says. */
  static ProviderManager start(KubernetesClient client, ManagerOptions options, Set<Provider> providers,
      DockerEngineRuntime engine, String securityProfile, Duration tokenTtl, InMemoryListeners listeners) {
    ProviderManager manager = new ProviderManager(client, options);
    WorkloadClusterClients workloads = manager.closeOnStop(new WorkloadClusterClients(client));
    if (providers.contains(Provider.DOCKER)) {
      DockerEngineRuntime runtime = manager.closeOnStop(engine);
      DockerProviderMain.register(manager, client, runtime, SecurityProfiles.choose(securityProfile, runtime),
          workloads, listeners);
    }
    if (providers.contains(Provider.BOOTSTRAP)) BootstrapProviderMain.register(manager, client, workloads, tokenTtl);
    if (providers.contains(Provider.CONTROL_PLANE)) ControlPlaneProviderMain.register(manager, client, workloads);
    manager.start();
    return manager;
  }

  /** The value of {@code --providers}; fails naming the flag and the unknown name. */
  static Set<Provider> providers(String value) {
    Set<Provider> chosen = EnumSet.noneOf(Provider.class);
    for (String name : value.split(",")) {
      String n = name.strip();
      if (n.isEmpty()) continue;
      chosen.add(Arrays.stream(Provider.values()).filter(p -> p.flagName.equals(n)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("--" + PROVIDERS + ": unknown provider \"" + n + "\"; the providers are "
              + names(EnumSet.allOf(Provider.class)))));
    }
    if (chosen.isEmpty()) throw new IllegalArgumentException("--" + PROVIDERS + ": names no provider");
    return chosen;
  }

  private static String names(Set<Provider> providers) {
    return providers.stream().map(p -> p.flagName).collect(Collectors.joining(","));
  }
}
