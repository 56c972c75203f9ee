package io.capdjava.docker.inmemory.workload;

import io.capdjava.core.certs.CertificateKeyPair;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /api/v1/namespaces/{ns}/pods/{pod}/portforward?ports=N} of a simulated API server with the
 * WebSocket channel protocol ({@code v4.channel.k8s.io}, what fabric8's port-forward and kubectl's WebSocket mode
 * ask for; SPDY is not served). Only an etcd member's client port is reachable: port 2379 of pod
 * {@code kube-system/etcd-<node>} whose member is started in the cluster, answered by an in-process etcd endpoint (TLS
 * with the member's serving certificate from the etcd CA, client certificates from that CA required, etcd's JSON
 * gateway behind). Any other port of an existing pod is upgraded and then refused on the error channel, as the kubelet
 * does when nothing listens on the port, so the client learns why.
 */
public final class PortForwardUpgrade {
  private static final Logger LOG = LoggerFactory.getLogger(PortForwardUpgrade.class);
  /** The binary channel protocols, newest first; the kubelet serves the same (no subprotocol means binary, too). */
  static final List<String> SUBPROTOCOLS = List.of("v4.channel.k8s.io", "channel.k8s.io");
  static final int ETCD_CLIENT_PORT = 2379;
  /** kubeadm's secure port of the API server, reached by port-forward to its mirror pod. */
  static final int API_SERVER_PORT = 6443;
  static final String API_SERVER_POD_PREFIX = "kube-apiserver-";
  static final String ETCD_NAMESPACE = "kube-system";
  /** Client frames carry at most what fabric8 reads from its socket at once (4 KiB); this leaves plenty of room. */
  private static final int MAX_FRAME_BYTES = 1024 * 1024;

  private PortForwardUpgrade() {}

  /**
   * Upgrades the connection of {@code request} (a port-forward to {@code namespace/pod}, a pod that exists) to a
   * port-forward stream, or answers with a Kubernetes Status when the request cannot be upgraded. The handlers of the
   * stream go right after {@code ctx}'s; the handshake takes the HTTP codec and aggregator out of the pipeline. Does
   * not release {@code request}.
   */
  public static void handle(ChannelHandlerContext ctx, FullHttpRequest request, SimulatedCluster cluster,
      String namespace, String pod) {
    String description = cluster.namespace() + "/" + cluster.name() + " " + namespace + "/" + pod;
    int port;
    try {
      port = port(new QueryStringDecoder(request.uri()).parameters().getOrDefault("ports", List.of()));
    } catch (IllegalArgumentException e) {
      refuse(ctx, request, 400, "BadRequest", e.getMessage());
      return;
    }
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "");
    if (!upgrade.equalsIgnoreCase(HttpHeaderValues.WEBSOCKET.toString())) {
      refuse(ctx, request, 400, "BadRequest", upgrade.isEmpty()
          ? "Upgrade request required"
          : "unable to upgrade: only WebSocket port-forwarding (" + String.join(", ", SUBPROTOCOLS) + ") is served");
      return;
    }
    List<String> requested = requestedSubprotocols(request);
    if (!requested.isEmpty() && requested.stream().noneMatch(SUBPROTOCOLS::contains)) {
      refuse(ctx, request, 400, "BadRequest", "requested protocol(s) are not supported: " + requested + "; supports "
          + SUBPROTOCOLS);
      return;
    }

    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
        "wss://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri(),
        String.join(",", SUBPROTOCOLS),
        WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_FRAME_BYTES).allowExtensions(false).build())
        .newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }

    PortForwardTunnel tunnel = tunnel(cluster, namespace, pod, port, description);
    String name = ctx.name();
    ctx.pipeline().addAfter(name, "port-forward", tunnel);
    ctx.pipeline().addAfter(name, "port-forward-frames", new WebSocketFrameAggregator(MAX_FRAME_BYTES));
    handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) done -> {
      if (done.isSuccess()) {
        tunnel.start(done.channel());
      } else {
        LOG.debug("port-forward {}: WebSocket handshake failed: {}", description,
            String.valueOf(done.cause().getMessage()));
        done.channel().close();
      }
    });
  }

  /** What serves the port: the etcd member's endpoint, or a refusal worded as the kubelet words it. */
  private static PortForwardTunnel tunnel(SimulatedCluster cluster, String namespace, String pod, int port,
      String description) {
    if (ETCD_NAMESPACE.equals(namespace) && pod.startsWith(API_SERVER_POD_PREFIX) && port == API_SERVER_PORT) {
      if (cluster.apiServers().contains(pod) && cluster.podForwardContext() != null) {
        return PortForwardTunnel.toApiServer(port, description, cluster.podForwardContext(), cluster.apiRequests());
      }
    }
    Optional<String> memberName =
        ETCD_NAMESPACE.equals(namespace) ? EtcdGateway.memberNameOfPod(pod) : Optional.empty();
    Optional<CertificateKeyPair> etcdCa = cluster.etcdCa(pod);
    String refusal;
    if (port != ETCD_CLIENT_PORT || memberName.isEmpty()) {
      refusal = "nothing listens on port " + port + " (only the client port " + ETCD_CLIENT_PORT
          + " of etcd members and the secure port " + API_SERVER_PORT + " of running API servers are served)";
    } else if (etcdCa.isEmpty() || cluster.etcd().byName(memberName.get()).isEmpty()) {
      refusal = "etcd member " + memberName.get() + " is not running";
    } else {
      try {
        SslContext tls = EtcdServingCertificates.serverContext(cluster, pod, memberName.get(), etcdCa.get());
        return PortForwardTunnel.toEtcd(port, description, tls, new EtcdGateway(cluster.etcd(), memberName.get()));
      } catch (RuntimeException e) {
        refusal = "etcd member " + memberName.get() + " cannot serve TLS: " + e.getMessage();
      }
    }
    String uid = cluster.objects().get(ResourceTypes.PODS, namespace, pod)
        .map(p -> p.path("metadata").path("uid").asText("")).orElse("");
    return PortForwardTunnel.refused(port, description, "error forwarding port " + port + " to pod " + pod + ", uid "
        + uid + ": failed to connect to localhost:" + port + " inside the pod: connection refused: " + refusal);
  }

  /** The one port asked for ({@code ports=N}; the kubelet's comma form is taken too). */
  static int port(List<String> values) {
    List<String> ports = new ArrayList<>();
    for (String value : values) {
      Arrays.stream(value.split(",")).map(String::trim).filter(p -> !p.isEmpty()).forEach(ports::add);
    }
    if (ports.isEmpty()) throw new IllegalArgumentException("query parameter \"ports\" is required");
    if (ports.size() > 1) {
      throw new IllegalArgumentException("only one port per port-forward request is served, got " + ports);
    }
    try {
      int port = Integer.parseInt(ports.get(0));
      if (port < 1 || port > 65535) throw new NumberFormatException();
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port \"" + ports.get(0) + "\": must be 1-65535");
    }
  }

  private static List<String> requestedSubprotocols(FullHttpRequest request) {
    List<String> requested = new ArrayList<>();
    for (String header : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      Arrays.stream(header.split(",")).map(String::trim).filter(p -> !p.isEmpty()).forEach(requested::add);
    }
    return requested;
  }

  private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, int code, String reason,
      String message) {
    ApiResponse status = ApiServerHandler.status(code, reason, message);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
        Unpooled.wrappedBuffer(status.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, status.contentType());
    HttpUtil.setContentLength(response, status.body().length);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
  }
}
