package io.capdjava.docker.loadbalancer;

import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.ContainerSpec;
import io.capdjava.docker.runtime.ExecResult;
import io.capdjava.docker.runtime.SecurityProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's load balancer container, {@code <cluster>-lb}: haproxy in front of the control-plane nodes' API
 * servers, with 6443 and 8404 published on random host ports. Its configuration is written into the container, read
 * back (a short write went unnoticed upstream once), and loaded with SIGHUP.
 */
public final class LoadBalancer {
  public static final String DEFAULT_IMAGE_REPOSITORY = "kindest";
  public static final String DEFAULT_IMAGE_TAG = "v20230606-42a2262b";
  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

  private final ContainerRuntime runtime;
  private final String cluster;

  public LoadBalancer(ContainerRuntime runtime, String cluster) {
    this.runtime = runtime;
    this.cluster = cluster;
  }

  public String containerName() {
    return cluster + "-lb";
  }

  public static String image(String repository, String tag) {
    String repo = repository == null || repository.isEmpty() ? DEFAULT_IMAGE_REPOSITORY : repository;
    String t = tag == null || tag.isEmpty() ? DEFAULT_IMAGE_TAG : tag;
    return repo + "/haproxy:" + t;
  }

  /** The load balancer container, found by the kind labels as upstream does; more than one is an error. */
  public Optional<ContainerInfo> find() {
    List<ContainerInfo> found =
        runtime.list(Map.of(Labels.CLUSTER, cluster, Labels.ROLE, Labels.ROLE_LOAD_BALANCER));
    if (found.size() > 1) {
      throw new IllegalStateException("found " + found.size() + " load balancer containers for cluster " + cluster);
    }
    return found.stream().findFirst();
  }

  /**
   * The container as the engine has it now, running or not. {@link #find} reads the engine's container list, which
   * the engine brings up to date only after it has released a stopped container's network, while its {@code die}
   * event goes out before that: a look woken by the event may still read "running" there, and would then wait for the
   * next periodic look (50 s in the fault suite, on a busy engine). Inspecting waits for the engine to finish.
   */
  public Optional<ContainerInfo> findWithCurrentState() {
    return find().flatMap(listed -> runtime.find(listed.name()));
  }

  /** Runs the container unless it exists. */
  public ContainerInfo ensure(String image, SecurityProfile security) {
    Optional<ContainerInfo> existing = find();
    if (existing.isPresent()) return existing.get();
    return create(image, security);
  }

  /** Starts the (stopped) container again; its configuration is still in it. */
  public ContainerInfo start() {
    runtime.start(containerName());
    return runtime.find(containerName())
        .orElseThrow(() -> new IllegalStateException("load balancer container " + containerName() + " vanished"));
  }

  /** Runs a new load balancer container, on any address of the cluster network. */
  public ContainerInfo create(String image, SecurityProfile security) {
    return create(image, security, null);
  }

  /**
   * Runs a new load balancer container at {@code address} on the cluster network (null: any): a re-created load
   * balancer must come back where the cluster's endpoint, kubeconfig and certificates say it is.
   */
  public ContainerInfo create(String image, SecurityProfile security, String address) {
    if (!runtime.imagePresent(image)) runtime.pull(image);
    runtime.ensureNetwork(Labels.NETWORK);
    return runtime.run(new ContainerSpec(
        containerName(),
        image,
        Labels.NETWORK,
        Map.of(Labels.CLUSTER, cluster, Labels.ROLE, Labels.ROLE_LOAD_BALANCER),
        List.of(),
        Map.of("/tmp", "", "/run", ""),
        List.of(),
        List.of(),
        List.of("6443/tcp", "8404/tcp"),
        "0.0.0.0",
        security,
        address));
  }

  /** What a configuration is rendered from and compared with, read in one exec. */
  public record Observed(long openFileLimit, String currentConfig) {}

  /**
   * The container's open-file limit (-1 when unknown; haproxy's maxconn must fit in it) and the configuration it holds
   * ("" when none).
   */
  public Observed observe() {
    ExecResult r = runtime.exec(containerName(),
        List.of("sh", "-c", "ulimit -Hn; cat " + HAProxyConfig.CONFIG_PATH + " 2>/dev/null"), EXEC_TIMEOUT);
    String out = r.output();
    int newline = out.indexOf('\n');
    String limit = (newline < 0 ? out : out.substring(0, newline)).strip();
    return new Observed(limit.matches("\\d+") ? Long.parseLong(limit) : -1,
        newline < 0 || !r.succeeded() ? "" : out.substring(newline + 1));
  }

  /** Writes {@code config}, checks it arrived intact, and reloads haproxy. */
  public void apply(String config) {
    runtime.copyFile(containerName(), HAProxyConfig.CONFIG_PATH, config.getBytes(StandardCharsets.UTF_8));
    ExecResult readBack = runtime.exec(containerName(), List.of("cat", HAProxyConfig.CONFIG_PATH), EXEC_TIMEOUT);
    require(readBack, "read back " + HAProxyConfig.CONFIG_PATH);
    if (!readBack.output().equals(config)) {
      throw new IllegalStateException("the haproxy configuration read back from " + containerName()
          + " differs from what was written");
    }
    runtime.kill(containerName(), "SIGHUP");
  }

  /**
   * Removes the load balancer, the cluster's last container (CAPI deletes the Machines first), and with it the network
   * where the engine's network is ours alone and nothing else uses it.
   */
  public void remove() {
    runtime.remove(containerName());
    runtime.releaseNetwork(Labels.NETWORK);
  }

  private void require(ExecResult result, String what) {
    if (!result.succeeded()) {
      throw new IllegalStateException("could not " + what + " in " + containerName() + " (exit " + result.exitCode()
          + "): " + result.tail(5));
    }
  }
}
