package io.capdjava.docker.inmemory.workload;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every simulated workload cluster of this process (upstream's WorkloadClustersMux): one listener per cluster on a port
 * from {@code [minPort, maxPort]}, all served by one small event loop (no thread per cluster), addressed by
 * {@code namespace/name}.
 */
public final class SimulatedClusters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedClusters.class);
  /** Upstream's default port range for workload cluster listeners. */
  public static final int DEFAULT_MIN_PORT = 20000;
  public static final int DEFAULT_MAX_PORT = 30000;
  /** Requests (create/update/patch bodies) larger than this are refused with 413. */
  static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  private final String host;
  private final int minPort;
  private final int maxPort;
  /** Made with the first cluster: a provider that never sees an in-memory cluster loads no Netty at all. */
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private final Map<String, SimulatedCluster> clusters = new LinkedHashMap<>();
  /** The next port of the range to try. */
  private int nextPort;
  private boolean closed;

  /**
   * @param host the address the endpoints name (the pod IP in a management cluster, else 127.0.0.1); listeners bind
   *     every address
   */
  public SimulatedClusters(String host, int minPort, int maxPort) {
    this.host = Objects.requireNonNull(host, "host");
    if (minPort < 1 || maxPort > 65535 || minPort > maxPort) {
      throw new IllegalArgumentException("invalid port range [" + minPort + ", " + maxPort + "]");
    }
    this.minPort = minPort;
    this.maxPort = maxPort;
    this.nextPort = minPort;
  }

  private void startEventLoops() {
    if (boss != null) return;
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("inmemory-apiserver-accept", true),
        NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("inmemory-apiserver-io", true),
        NioIoHandler.newFactory());
  }

  public String host() {
    return host;
  }

  /**
   * The cluster, made and its listener bound when new: on {@code preferredPort} when given (&gt; 0, the port its
   * endpoint already names, after a restart), else on the next free port of the range. Idempotent.
   */
  public synchronized SimulatedCluster getOrCreate(String namespace, String name, int preferredPort) {
    if (closed) throw new IllegalStateException("the simulated clusters are closed");
    String key = key(namespace, name);
    SimulatedCluster existing = clusters.get(key);
    if (existing != null) return existing;
    startEventLoops();
    SimulatedCluster cluster = new SimulatedCluster(namespace, name);
    ChannelGroup connections = new DefaultChannelGroup(key, GlobalEventExecutor.INSTANCE);
    Channel listener;
    if (preferredPort > 0) {
      ChannelFuture bound = bind(cluster, connections, preferredPort);
      if (!bound.isSuccess()) {
        throw new IllegalStateException("cannot serve the API server of " + key + " on " + host + ":" + preferredPort
            + ", the port its control plane endpoint names: " + reason(bound.cause()), bound.cause());
      }
      listener = bound.channel();
    } else {
      listener = bindInRange(cluster, connections, key);
    }
    cluster.bound(host, listener, connections);
    clusters.put(key, cluster);
    LOG.debug("simulated cluster {} listens on {}:{}", key, host, cluster.port());
    return cluster;
  }

  public synchronized Optional<SimulatedCluster> find(String namespace, String name) {
    return Optional.ofNullable(clusters.get(key(namespace, name)));
  }

  /** Closes the cluster's listener and its connections and forgets its state. */
  public void remove(String namespace, String name) {
    SimulatedCluster cluster;
    synchronized (this) {
      cluster = clusters.remove(key(namespace, name));
    }
    if (cluster == null) return;
    shutDown(cluster);
    LOG.debug("simulated cluster {} removed", key(namespace, name));
  }

  @Override
  public void close() {
    List<SimulatedCluster> all;
    synchronized (this) {
      if (closed) return;
      closed = true;
      all = new ArrayList<>(clusters.values());
      clusters.clear();
    }
    all.forEach(SimulatedClusters::shutDown);
    if (boss == null) return;
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static void shutDown(SimulatedCluster cluster) {
    Channel listener = cluster.listener();
    ChannelGroup connections = cluster.connections();
    cluster.unbound();
    // the listener first, so that no connection is accepted after its group was closed
    if (listener != null) {
      InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
      listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      if (bound != null) awaitReleased(bound.getPort());
    }
    if (connections != null) connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /**
   * Returns once {@code port} can be bound again (a second at most). NIO releases a port whose channel is registered
   * with a selector only at that selector's next select, after the close future completed: a port asked for again
   * right after its cluster went (by a preferred port, or by the search coming round to it) was still taken now and
   * then.
   */
  private static void awaitReleased(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (true) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(port));
        return;
      } catch (IOException stillBound) {
        if (System.nanoTime() > deadline) return;
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Binds the next free port of the range, from where the last search stopped, wrapping around. */
  private Channel bindInRange(SimulatedCluster cluster, ChannelGroup connections, String key) {
    int size = maxPort - minPort + 1;
    Throwable last = null;
    for (int i = 0; i < size; i++) {
      int port = nextPort;
      nextPort = port == maxPort ? minPort : port + 1;
      if (portOfOurs(port)) continue;
      ChannelFuture bound = bind(cluster, connections, port);
      if (bound.isSuccess()) return bound.channel();
      last = bound.cause();
      if (!(last instanceof java.net.BindException)) {
        throw new IllegalStateException("cannot serve the API server of " + key + " on " + host + ":" + port + ": "
            + reason(last), last);
      }
    }
    throw new IllegalStateException("cannot serve the API server of " + key + ": no free port left in ["
        + minPort + ", " + maxPort + "] on " + host + (last == null ? "" : " (" + reason(last) + ")"));
  }

  private boolean portOfOurs(int port) {
    return clusters.values().stream().anyMatch(c -> c.port() == port);
  }

  private static String reason(Throwable cause) {
    if (cause == null) return "unknown error";
    String message = cause.getMessage();
    return message == null || message.isEmpty() ? cause.getClass().getSimpleName() : message;
  }

  /** The bind's outcome, done. */
  private ChannelFuture bind(SimulatedCluster cluster, ChannelGroup connections, int port) {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            SslContext ssl = cluster.sslContext();
            if (ssl == null) {
              // a control plane endpoint with no API server behind it
              ch.close();
              return;
            }
            ch.pipeline()
                .addLast("tls", ssl.newHandler(ch.alloc()))
                .addLast("http", new HttpServerCodec())
                .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast("apiserver", new ApiServerHandler(cluster));
          }
        });
    // every address, as upstream's listeners: the endpoint names the host (the pod IP), and a port-forward to the
    // pod (upstream's e2e framework reaches in-memory clusters so) connects to localhost
    ChannelFuture future = bootstrap.bind(new InetSocketAddress(port)).awaitUninterruptibly();
    if (!future.isSuccess()) LOG.debug("cannot bind port {}: {}", port, reason(future.cause()));
    return future;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
