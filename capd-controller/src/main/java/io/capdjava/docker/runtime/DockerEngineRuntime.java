package io.capdjava.docker.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on a Docker engine through docker-java's httpclient5 transport. It is the one place that owns
 * the engine connection: {@code DOCKER_HOST} or the default unix socket, with the API version pinned to what the
 * engine answers (Debian's dockerd 20.10 speaks 1.41), so requests never depend on a client default.
 */
public final class DockerEngineRuntime implements ContainerRuntime, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngineRuntime.class);
  /** The newest API version docker-java 3.7 knows. */
  private static final String NEWEST_CLIENT_API = "1.44";
  /** The label of the short-lived containers {@link #privilegedAllowed} makes. */
  static final String PROBE_LABEL = "io.capdjava.probe";
  private static final Duration ABANDONED_PROBE_AGE = Duration.ofMinutes(1);

  private final DockerClient docker;
  /** The same connection, for the calls docker-java does not model (Podman's native create). */
  private final DockerHttpClient http;
  private final EngineKind engine;
  /** Podman only: the limits its containers are created with. */
  private final ContainerLimits podmanLimits;
  private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

  private DockerEngineRuntime(Connection connection, EngineKind engine, ContainerLimits podmanLimits) {
    this.docker = connection.docker();
    this.http = connection.http();
    this.engine = engine;
    this.podmanLimits = podmanLimits;
  }

  private record Connection(DockerClient docker, DockerHttpClient http) {}

  /** Connects to {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock}). */
  public static DockerEngineRuntime connect() {
    return connect(null);
  }

  /**
   * Connects to {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock}), a Docker engine or Podman's
   * Docker-compatible service.
   *
   * @param podmanLimits the value of {@code --podman-limits} ({@code nofile=N,nproc=M}), or null/blank to read the
   *     Podman service's own limits
   */
  public static DockerEngineRuntime connect(String podmanLimits) {
    return connect(Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank())
        .orElse("unix:///var/run/docker.sock"), podmanLimits);
  }

  /** As {@link #connect(String)}, to the engine at {@code host} ({@code unix://...} or {@code tcp://...}). */
  public static DockerEngineRuntime connect(String host, String podmanLimits) {
    // an unversioned request is answered at the engine's own API version; ask it which that is
    com.github.dockerjava.api.model.Version version;
    Connection probe = client(host, null);
    try (DockerClient c = probe.docker()) {
      version = c.versionCmd().exec();
    } catch (Exception e) {
      throw new IllegalStateException("no Docker engine answers at " + host + ": " + e.getMessage(), e);
    }
    String engineApi = version.getApiVersion();
    String pinned = compare(engineApi, NEWEST_CLIENT_API) <= 0 ? engineApi : NEWEST_CLIENT_API;
    EngineKind engine = EngineKind.of(version);
    ContainerLimits limits = null;
    if (engine == EngineKind.PODMAN) {
      Optional<ContainerLimits> service = host.startsWith("unix://")
          ? ContainerLimits.ofListeningProcess(host.substring("unix://".length())) : Optional.empty();
      if (podmanLimits != null && !podmanLimits.isBlank()) {
        limits = ContainerLimits.parse(podmanLimits, service.orElse(null));
        LOG.info("Podman {} at {} speaks Docker API {}; using API {}; containers get {} (--{})", version.getVersion(),
            host, engineApi, pinned, limits, ContainerLimits.FLAG);
      } else {
        limits = service.orElse(null);
        LOG.info("Podman {} at {} speaks Docker API {}; using API {}; containers get {}", version.getVersion(), host,
            engineApi, pinned, limits == null ? "Podman's default limits (the service's could not be read here;"
                + " set them with --" + ContainerLimits.FLAG + " where Podman cannot raise them)"
                : limits + " (the service's own)");
      }
    } else {
      LOG.info("Docker engine at {} speaks API {}; using API {}", host, engineApi, pinned);
    }
    return new DockerEngineRuntime(client(host, pinned), engine, limits);
  }

  private static Connection client(String host, String apiVersion) {
    DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host);
    if (apiVersion != null) config.withApiVersion(apiVersion);
    DefaultDockerClientConfig built = config.build();
    SSLConfig tls = built.getSSLConfig() == null && host.startsWith("unix://")
        ? UnixSocketTls.INSTANCE : built.getSSLConfig();
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(built.getDockerHost())
        .sslConfig(tls)
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(10))
        .build();
    return new Connection(DockerClientImpl.getInstance(built, http), http);
  }

  /** Docker or Podman. */
  public EngineKind engine() {
    return engine;
  }

  private static int compare(String a, String b) {
    String[] x = a.split("\\."), y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int d = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
      if (d != 0) return d;
    }
    return 0;
  }

  @Override
  public void ensureNetwork(String name) {
    boolean exists = docker.listNetworksCmd().withNameFilter(name).exec().stream().anyMatch(n -> name.equals(n.getName()));
    if (exists) return;
    // kind's settings: a bridge whose traffic to the outside is masqueraded. IPv4 only: kind adds an IPv6 ULA subnet
    // when the engine supports IPv6, which these hosts do not need.
    try {
      // The engine picks a free subnet; the network is then made again naming that subnet, since Docker refuses a
      // fixed address (what run() gives every container) on a network whose subnet it chose itself.
      String chosen = createNetwork(name, null);
      Optional<Network.Ipam.Config> ipv4 = ipv4Configs(chosen).stream().findFirst();
      if (ipv4.isPresent()) {
        docker.removeNetworkCmd(chosen).exec();
        createNetwork(name, ipv4.get());
      }
      LOG.info("created Docker network {} ({})", name, ipv4.map(Network.Ipam.Config::getSubnet).orElse("no IPv4"));
    } catch (com.github.dockerjava.api.exception.ConflictException e) {
      // another reconcile created it in between
    }
  }

  private String createNetwork(String name, Network.Ipam.Config subnet) {
    var create = docker.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
        .withOptions(Map.of("com.docker.network.bridge.enable_ip_masquerade", "true"));
    if (subnet != null) {
      create.withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet.getSubnet())
          .withGateway(subnet.getGateway())));
    }
    return create.exec().getId();
  }

  @Override
  public Optional<ContainerInfo> find(String name) {
    try {
      return Optional.of(toInfo(docker.inspectContainerCmd(name).exec()));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static final int ADDRESS_ATTEMPTS = 5;
  /** Docker's answer to a fixed address on a network whose subnet it chose itself. */
  private static final String NO_FIXED_ADDRESSES = "user configured subnets";
  private final Set<String> unpinnableNetworks = ConcurrentHashMap.newKeySet();
  /** Addresses a run of this process picked and has not started a container on yet. */
  private final Set<String> reservedAddresses = new HashSet<>();

  @Override
  public List<ContainerInfo> list(Map<String, String> labels) {
    // the list response already has what ContainerInfo holds: no inspect per container
    List<ContainerInfo> result = new ArrayList<>();
    for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
      Map<String, String> ips = new LinkedHashMap<>();
      if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
        c.getNetworkSettings().getNetworks().forEach((name, n) ->
            ips.put(name, Optional.ofNullable(n.getIpAddress()).orElse("")));
      }
      Map<String, Integer> published = new LinkedHashMap<>();
      if (c.getPorts() != null) {
        for (var port : c.getPorts()) {
          if (port.getPublicPort() != null) published.putIfAbsent(port.getPrivatePort() + "/" + port.getType(), port.getPublicPort());
        }
      }
      String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
      result.add(new ContainerInfo(c.getId(), name, c.getImage(), c.getLabels() == null ? Map.of() : c.getLabels(),
          "running".equals(c.getState()), c.getStatus(), ips, published));
    }
    return result;
  }

  /**
   * Runs the container at a fixed address on its network: the one the spec asks for, or else the lowest free one,
   * pinned. A dynamically addressed container gets whatever is free each time it starts, so after an engine restart
   * (the containers come back by their restart policy, in any order) a node could take the load balancer's address,
   * which the cluster's endpoint, kubeconfig and certificates name; a pinned one comes back on its own.
   */
  @Override
  public ContainerInfo run(ContainerSpec spec) {
    if (spec.ipv4Address() != null) return runOnce(spec);
    Optional<Network.Ipam.Config> ipv4 = unpinnableNetworks.contains(spec.network())
        ? Optional.empty() : ipv4Configs(spec.network()).stream().findFirst();
    if (ipv4.isEmpty()) return runOnce(spec);
    for (int attempt = 1; ; attempt++) {
      String address = reserveFreeAddress(spec.network(), ipv4.get());
      try {
        return runOnce(spec.withIpv4Address(address));
      } catch (IllegalStateException e) {
        if (String.valueOf(e.getMessage()).contains(NO_FIXED_ADDRESSES)) {
          // a network made elsewhere without naming its subnet (by an older provider, say): addresses as the engine
          // hands them out there
          LOG.warn("network {} takes no fixed addresses (its subnet was not given when it was created); containers "
              + "on it get whatever address is free when they start", spec.network());
          unpinnableNetworks.add(spec.network());
          return runOnce(spec);
        }
        // another engine client took it between our look and our start: the next free one
        if (attempt >= ADDRESS_ATTEMPTS || !String.valueOf(e.getMessage()).contains("Address already in use")) throw e;
      } finally {
        synchronized (reservedAddresses) {
          reservedAddresses.remove(address);
        }
      }
    }
  }

  /**
   * The lowest address of the network that is not its gateway, that no container holds or has pinned (stopped ones
   * included), and that no other run of this process is about to take.
   */
  private String reserveFreeAddress(String network, Network.Ipam.Config ipv4) {
    Set<String> used = new HashSet<>();
    if (ipv4.getGateway() != null) used.add(ipv4.getGateway());
    for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
      var n = c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null ? null
          : c.getNetworkSettings().getNetworks().get(network);
      if (n == null) continue;
      if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) used.add(n.getIpAddress());
      if (n.getIpamConfig() != null && n.getIpamConfig().getIpv4Address() != null) {
        used.add(n.getIpamConfig().getIpv4Address());
      }
    }
    synchronized (reservedAddresses) {
      used.addAll(reservedAddresses);
      String address = Ipv4Subnet.firstFree(ipv4.getSubnet(), used).orElseThrow(() -> new IllegalStateException(
          "network " + network + " (" + ipv4.getSubnet() + ") has no free address left"));
      reservedAddresses.add(address);
      return address;
    }
  }

  private ContainerInfo runOnce(ContainerSpec spec) {
    String id = engine == EngineKind.PODMAN ? createWithPodman(spec) : createWithDocker(spec);
    try {
      docker.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      // a container that cannot start (a port taken, a refused capability) must not linger and block the next try
      removeQuietly(id);
      String hint = engine == EngineKind.PODMAN && String.valueOf(e.getMessage()).contains("rlimit")
          ? " (Podman cannot set the open-file or process limit " + podmanLimits + " here: give limits within the"
              + " Podman service's own with --" + ContainerLimits.FLAG + "=nofile=N,nproc=M)" : "";
      throw new IllegalStateException("container " + spec.name() + " failed to start: " + e.getMessage() + hint, e);
    }
    return find(id).orElseThrow(() -> new IllegalStateException("container " + spec.name() + " vanished after start"));
  }

  private String createWithDocker(ContainerSpec spec) {
    HostConfig host = hostConfig(spec);
    List<ExposedPort> exposed = new ArrayList<>();
    Ports ports = new Ports();
    for (String port : spec.publishedPorts()) {
      ExposedPort exposedPort = ExposedPort.parse(port);
      exposed.add(exposedPort);
      ports.bind(exposedPort, Ports.Binding.bindIp(spec.listenAddress()));
    }
    host.withPortBindings(ports);
    CreateContainerCmd create = docker.createContainerCmd(spec.image())
        .withName(spec.name())
        .withHostName(spec.name())
        .withTty(true)
        .withLabels(spec.labels())
        .withEnv(spec.env())
        .withExposedPorts(exposed)
        .withVolumes(spec.anonymousVolumes().stream().map(Volume::new).toList())
        .withHostConfig(host);
    if (spec.ipv4Address() != null) create.withIpv4Address(spec.ipv4Address());
    return create.exec().getId();
  }

  /** Podman's native create: the only one of its APIs that applies the whole security profile. */
  private String createWithPodman(ContainerSpec spec) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(PodmanCreateRequest.body(spec, podmanLimits));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.POST)
        .path(PodmanCreateRequest.PATH)
        .putHeader("Content-Type", "application/json")
        .body(new java.io.ByteArrayInputStream(body))
        .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      String answer = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
      if (response.getStatusCode() / 100 != 2) {
        String message = answer;
        try {
          message = Optional.ofNullable(json.readTree(answer).path("message").textValue()).orElse(answer);
        } catch (java.io.IOException ignored) {
          // not JSON: the answer as it came
        }
        if (response.getStatusCode() == 409) {
          throw new com.github.dockerjava.api.exception.ConflictException(message);
        }
        throw new IllegalStateException("Podman refused to create container " + spec.name() + " (HTTP "
            + response.getStatusCode() + "): " + message);
      }
      return json.readTree(answer).path("Id").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The engine-side settings of a container: network, restart policy, mounts and the security profile's powers. */
  static HostConfig hostConfig(ContainerSpec spec) {
    HostConfig host = (spec.security().kind() == SecurityProfile.Kind.RESTRICTED ? new UnmaskedHostConfig()
        : HostConfig.newHostConfig())
        .withNetworkMode(spec.network())
        .withRestartPolicy(RestartPolicy.onFailureRestart(1))
        .withInit(false)
        .withTmpFs(spec.tmpfs())
        .withBinds(spec.binds().stream().map(Bind::parse).toList());
    applySecurity(host, spec.security());
    return host;
  }

  private static void applySecurity(HostConfig host, SecurityProfile profile) {
    host.withSecurityOpts(new ArrayList<>(List.of("seccomp=unconfined", "apparmor=unconfined")))
        // Node images of kind >= 0.20 need their own cgroup namespace in either profile (upstream CAPD sets it for
        // them): kubelet's cgroup root /kubelet is created inside it, and systemd needs it on cgroup v1 hosts.
        .withCgroupnsMode("private");
    if (profile.kind() == SecurityProfile.Kind.PRIVILEGED) {
      host.withPrivileged(true);
      return;
    }
    // systempaths=unconfined is UnmaskedHostConfig
    host.withCapAdd(Capability.ALL)
        .withCapDrop(profile.droppedCapabilities().stream().map(Capability::valueOf).toArray(Capability[]::new))
        .withDeviceCgroupRules(List.of("a *:* rwm"));
  }

  @Override
  public void remove(String name) {
    removeQuietly(name);
  }

  private void removeQuietly(String name) {
    if (engine == EngineKind.PODMAN) {
      // dockerd's forced removal kills at once; Podman's stops first and waits 10 s for a process that ignores
      // SIGTERM (systemd as PID 1 does)
      try {
        docker.killContainerCmd(name).withSignal("KILL").exec();
      } catch (RuntimeException e) {
        // not running, or gone
      }
    }
    try {
      docker.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone
    }
  }

  @Override
  public void releaseNetwork(String name) {
    // dockerd's network stays, as kind's does (other kind clusters may use it); Podman's would keep its firewall
    // chains and bridge after the last cluster is gone
    if (engine != EngineKind.PODMAN) return;
    boolean used = docker.listContainersCmd().withShowAll(true).exec().stream()
        .anyMatch(c -> c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null
            && c.getNetworkSettings().getNetworks().containsKey(name));
    if (used) return;
    try {
      docker.removeNetworkCmd(name).exec();
      LOG.info("removed network {}: no container uses it any more", name);
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      // a container joined it meanwhile
      LOG.debug("network {} not removed: {}", name, e.getMessage());
    }
  }

  @Override
  public ExecResult exec(String container, List<String> command, Duration timeout) {
    String execId = docker.execCreateCmd(container)
        .withCmd(command.toArray(String[]::new))
        .withAttachStdout(true)
        .withAttachStderr(true)
        .exec()
        .getId();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        synchronized (output) {
          output.writeBytes(frame.getPayload());
        }
      }
    };
    boolean finished;
    try {
      finished = docker.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    } finally {
      try {
        callback.close();
      } catch (java.io.IOException ignored) {
        // nothing to release
      }
    }
    String text;
    synchronized (output) {
      text = output.toString(StandardCharsets.UTF_8);
    }
    if (!finished) return new ExecResult(-1, text, true);
    Long exit = docker.inspectExecCmd(execId).exec().getExitCodeLong();
    return new ExecResult(exit == null ? -1 : exit.intValue(), text, false);
  }

  @Override
  public void copyFile(String container, String path, byte[] content) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry entry = new TarArchiveEntry(path.replaceFirst("^/+", ""));
      entry.setSize(content.length);
      entry.setMode(0644);
      out.putArchiveEntry(entry);
      out.write(content);
      out.closeArchiveEntry();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    docker.copyArchiveToContainerCmd(container).withRemotePath("/")
        .withTarInputStream(new java.io.ByteArrayInputStream(tar.toByteArray())).exec();
  }

  @Override
  public void copyFile(String container, String path, java.nio.file.Path source) {
    try {
      long size = java.nio.file.Files.size(source);
      java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
      java.io.PipedOutputStream pipe = new java.io.PipedOutputStream(in);
      Thread writer = new Thread(() -> {
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(pipe);
            InputStream file = java.nio.file.Files.newInputStream(source)) {
          out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          TarArchiveEntry entry = new TarArchiveEntry(path.replaceFirst("^/+", ""));
          entry.setSize(size);
          entry.setMode(0644);
          out.putArchiveEntry(entry);
          file.transferTo(out);
          out.closeArchiveEntry();
        } catch (java.io.IOException e) {
          LOG.warn("streaming {} into {} failed: {}", source, container, e.getMessage());
        }
      }, "copy-" + container);
      writer.start();
      docker.copyArchiveToContainerCmd(container).withRemotePath("/").withTarInputStream(in).exec();
      writer.join();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void start(String container) {
    try {
      docker.startContainerCmd(container).exec();
    } catch (com.github.dockerjava.api.exception.NotModifiedException e) {
      // already running
    }
  }

  @Override
  public List<String> networkSubnets(String network) {
    return ipv4Configs(network).stream().map(Network.Ipam.Config::getSubnet).toList();
  }

  /** The network's IPv4 subnets with their gateways; none for a network without one (or none of that name). */
  private List<Network.Ipam.Config> ipv4Configs(String network) {
    try {
      var ipam = docker.inspectNetworkCmd().withNetworkId(network).exec().getIpam();
      if (ipam == null || ipam.getConfig() == null) return List.of();
      return ipam.getConfig().stream().filter(c -> c.getSubnet() != null && c.getSubnet().contains(".")).toList();
    } catch (NotFoundException e) {
      return List.of();
    }
  }


  @Override
  public void kill(String container, String signal) {
    docker.killContainerCmd(container).withSignal(signal).exec();
  }

  @Override
  public boolean imagePresent(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public Optional<String> anyLocalImage() {
    return docker.listImagesCmd().exec().stream()
        .flatMap(i -> i.getRepoTags() == null ? java.util.stream.Stream.<String>empty() : java.util.Arrays.stream(i.getRepoTags()))
        .filter(t -> !t.startsWith("<none>"))
        .findFirst();
  }

  @Override
  public void pull(String image) {
    try {
      docker.pullImageCmd(image).start().awaitCompletion(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pulling " + image, e);
    }
  }

  @Override
  public InputStream save(String image) {
    return docker.saveImageCmd(image).exec();
  }

  @Override
  public EngineInfo info() {
    Info info = docker.infoCmd().exec();
    return new EngineInfo(info.getNCPU(), info.getMemTotal(), info.getServerVersion());
  }

  @Override
  public boolean privilegedAllowed(String probeImage) {
    removeAbandonedProbes();
    // a name of its own: providers may probe one engine at once (two in one process, or replicas in containers,
    // whose PIDs are all 1); a name made from the PID made them remove or collide with each other's probe
    String name = "capd-java-privilege-probe-" + UUID.randomUUID().toString().substring(0, 8);
    // as root, like node and load balancer containers: an image with a non-root USER gets no capabilities, so its
    // privileged start succeeds even where a root one fails ("unable to apply caps")
    String id = docker.createContainerCmd(probeImage).withName(name).withLabels(Map.of(PROBE_LABEL, "privilege"))
        .withUser("0").withEntrypoint("/bin/true").withCmd()
        .withHostConfig(HostConfig.newHostConfig().withPrivileged(true)).exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      return true;
    } catch (RuntimeException e) {
      LOG.debug("privileged probe refused: {}", e.getMessage());
      return false;
    } finally {
      removeQuietly(id);
    }
  }

  /** Probe containers of processes killed while probing: a probe lives a second or two. */
  private void removeAbandonedProbes() {
    long cutoff = Instant.now().minus(ABANDONED_PROBE_AGE).getEpochSecond();
    try {
      for (Container probe : docker.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(PROBE_LABEL, "privilege")).exec()) {
        if (probe.getCreated() != null && probe.getCreated() < cutoff) removeQuietly(probe.getId());
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot list abandoned probe containers: {}", e.getMessage());
    }
  }

  private static ContainerInfo toInfo(InspectContainerResponse c) {
    Map<String, String> ips = new LinkedHashMap<>();
    if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
      for (Map.Entry<String, ContainerNetwork> n : c.getNetworkSettings().getNetworks().entrySet()) {
        ips.put(n.getKey(), Optional.ofNullable(n.getValue().getIpAddress()).orElse(""));
      }
    }
    Map<String, Integer> published = new LinkedHashMap<>();
    if (c.getNetworkSettings() != null && c.getNetworkSettings().getPorts() != null) {
      c.getNetworkSettings().getPorts().getBindings().forEach((port, bindings) -> {
        if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null) {
          published.put(port.toString(), Integer.parseInt(bindings[0].getHostPortSpec()));
        }
      });
    }
    var state = c.getState();
    return new ContainerInfo(
        c.getId(),
        c.getName().startsWith("/") ? c.getName().substring(1) : c.getName(),
        c.getConfig().getImage(),
        c.getConfig().getLabels() == null ? Map.of() : c.getConfig().getLabels(),
        state != null && Boolean.TRUE.equals(state.getRunning()),
        state == null ? "" : state.getStatus(),
        ips,
        published);
  }

  @Override
  public AutoCloseable watchContainers(String labelKey, Consumer<ContainerEvent> onEvent) {
    return watchContainers(labelKey, Set.of(), onEvent);
  }

  /**
   * Every watcher of the same containers and actions shares one events stream: the Docker provider's reconcilers
   * each watch for stopped containers, and each stream of its own made the engine send, and the provider parse,
   * every event again (measured: a fifth of the provider's CPU while 50 machines came up, mostly the exec events of
   * their bootstrap, which the {@code actions} filter now leaves at the engine).
   */
  @Override
  public AutoCloseable watchContainers(String labelKey, Set<String> actions, Consumer<ContainerEvent> onEvent) {
    EventFilter filter = new EventFilter(labelKey, Set.copyOf(actions));
    Consumer<ContainerEvent> watcher = onEvent::accept; // one identity per call, even for the same consumer
    EventWatch watch;
    synchronized (eventWatches) {
      watch = eventWatches.computeIfAbsent(filter, EventWatch::new);
      watch.watchers.add(watcher);
      if (watch.watchers.size() == 1) watch.open();
    }
    return () -> {
      synchronized (eventWatches) {
        if (watch.watchers.remove(watcher) && watch.watchers.isEmpty()) {
          eventWatches.remove(filter, watch);
          watch.close();
        }
      }
    };
  }

  /** The events streams open now (one per distinct filter). */
  int openEventStreams() {
    synchronized (eventWatches) {
      return eventWatches.size();
    }
  }

  private record EventFilter(String labelKey, Set<String> actions) {}

  private final Map<EventFilter, EventWatch> eventWatches = new java.util.HashMap<>();

  /** One events stream, opened again after it drops (from the last event's time, so that none is missed). */
  private final class EventWatch implements AutoCloseable {
    private static final long REOPEN_DELAY_MILLIS = 1000;
    private final EventFilter filter;
    private final List<Consumer<ContainerEvent>> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile Closeable stream;
    private volatile long sinceSeconds = System.currentTimeMillis() / 1000;

    EventWatch(EventFilter filter) {
      this.filter = filter;
    }

    void open() {
      if (closed) return;
      try {
        var events = docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withLabelFilter(filter.labelKey())
            .withSince(Long.toString(sinceSeconds));
        if (!filter.actions().isEmpty()) events = events.withEventFilter(filter.actions().toArray(String[]::new));
        stream = events.exec(new ResultCallback.Adapter<Event>() {
              // onError and onComplete may both come: the stream is opened again once
              private final java.util.concurrent.atomic.AtomicBoolean ended =
                  new java.util.concurrent.atomic.AtomicBoolean();

              @Override
              public void onNext(Event event) {
                if (event.getTime() != null) sinceSeconds = event.getTime();
                Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                    ? Map.of() : event.getActor().getAttributes();
                String action = event.getAction() == null ? "" : event.getAction();
                ContainerEvent containerEvent = new ContainerEvent(action, attributes.getOrDefault("name", ""), attributes);
                for (Consumer<ContainerEvent> watcher : watchers) {
                  try {
                    watcher.accept(containerEvent);
                  } catch (RuntimeException e) {
                    LOG.warn("container event {} of {} not handled: {}", action, attributes.get("name"), e.toString());
                  }
                }
              }

              @Override
              public void onError(Throwable throwable) {
                if (!ended.compareAndSet(false, true)) return;
                if (!closed) LOG.info("container events stream dropped ({}); opening it again", throwable.toString());
                reopenLater();
              }

              @Override
              public void onComplete() {
                if (ended.compareAndSet(false, true)) reopenLater();
              }
            });
      } catch (RuntimeException e) {
        LOG.info("container events stream could not be opened ({}); trying again", e.toString());
        reopenLater();
      }
    }

    private void reopenLater() {
      if (closed) return;
      java.util.concurrent.CompletableFuture.delayedExecutor(REOPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS)
          .execute(this::open);
    }

    @Override
    public void close() throws java.io.IOException {
      closed = true;
      Closeable s = stream;
      if (s != null) s.close();
    }
  }

  @Override
  public void close() throws java.io.IOException {
    docker.close();
  }
}
