package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one connection to a simulated API server: requests are answered by the cluster's
 * {@link ApiRequests}, watches are streamed (chunked HTTP, or WebSocket text frames as kube-apiserver serves them to
 * clients that ask for an upgrade), port-forwards are handed to {@link PortForwardUpgrade}. Runs on the connection's
 * event loop; bodies, certificates and keys are never logged.
 */
final class ApiServerHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServerHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PORT_FORWARD = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward");
  /** The largest WebSocket frame a watch client may send (it sends only close and ping frames). */
  private static final int MAX_FRAME_BYTES = 64 * 1024;

  private final SimulatedCluster cluster;
  /** The watch streaming on this connection, if any (event loop only). */
  private WatchStream watch;

  ApiServerHandler(SimulatedCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest request) {
      try {
        handle(ctx, request);
      } finally {
        // a handler the request was handed to may have released it already
        if (request.refCnt() > 0) request.release();
      }
      return;
    }
    if (msg instanceof WebSocketFrame frame && watch != null && watch.websocket()) {
      try {
        watch.onFrame(frame);
      } finally {
        frame.release();
      }
      return;
    }
    // e.g. the frames of a port-forward stream, for the handlers PortForwardUpgrade installed after this one
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (watch != null) watch.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (watch != null) watch.closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      LOG.debug("TLS handshake with {} on {} failed: {}", ctx.channel().remoteAddress(), describe(),
          String.valueOf(handshake.cause().getMessage()));
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection {} to {} failed: {}", ctx.channel().remoteAddress(), describe(),
        String.valueOf(cause.getMessage()));
    ctx.close();
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, request, status(400, "BadRequest", "malformed HTTP request"), false);
      return;
    }
    if (cluster.sslContext() == null) {
      // the last API server stopped while this connection was open (its close may still be on the way)
      ctx.close();
      return;
    }
    if (watch != null) {
      // HTTP/1.1 has no room for a request while a response streams: no client does that
      LOG.debug("{}: request while a watch streams on the connection, closing it", describe());
      ctx.close();
      return;
    }
    String method = request.method().name();
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.path();
    Map<String, List<String>> query = uri.parameters();
    LOG.debug("{}: {} {}", describe(), method, request.uri());

    Matcher portForward = PORT_FORWARD.matcher(path);
    if (portForward.matches()) {
      String namespace = portForward.group(1);
      String pod = portForward.group(2);
      if (cluster.objects().get(ResourceTypes.PODS, namespace, pod).isEmpty()) {
        respond(ctx, request, status(ApiException.notFound(ResourceTypes.PODS, pod)), true);
        return;
      }
      PortForwardUpgrade.handle(ctx, request, cluster, namespace, pod);
      return;
    }

    Optional<WatchRequest> watchRequest;
    try {
      watchRequest = cluster.apiRequests().watchRequest(method, path, query);
    } catch (ApiException e) {
      respond(ctx, request, status(e), true);
      return;
    }
    if (watchRequest.isPresent()) {
      startWatch(ctx, request, watchRequest.get());
      return;
    }

    ApiResponse response;
    try {
      String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
      response = cluster.apiRequests().handle(method, path, query, contentType, ByteBufUtil.getBytes(request.content()));
    } catch (ApiException e) {
      response = status(e);
    } catch (RuntimeException e) {
      LOG.warn("{}: {} {} failed", describe(), method, path, e);
      response = status(500, "InternalError", "an error on the server (" + e.getClass().getSimpleName()
          + ") has prevented the request from succeeding");
    }
    respond(ctx, request, response, true);
  }

  private void startWatch(ChannelHandlerContext ctx, FullHttpRequest request, WatchRequest watchRequest) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (isWebSocketUpgrade(request)) {
      WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
          "wss://" + request.headers().get(HttpHeaderNames.HOST, cluster.host()) + request.uri(), null, false,
          MAX_FRAME_BYTES).newHandshaker(request);
      if (handshaker == null) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
        return;
      }
      WatchStream stream = new WatchStream(ctx.channel(), cluster, watchRequest, true, false, this::watchEnded);
      watch = stream;
      String uri = request.uri();
      handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          try {
            stream.start();
          } catch (RuntimeException e) {
            LOG.warn("{}: watch {} failed", describe(), uri, e);
            watchEnded(stream);
            f.channel().close();
          }
        } else {
          watchEnded(stream);
          f.channel().close();
        }
      });
      return;
    }
    WatchStream stream = new WatchStream(ctx.channel(), cluster, watchRequest, false, keepAlive, this::watchEnded);
    watch = stream;
    try {
      stream.start();
    } catch (ApiException e) {
      // refused before anything was written
      watch = null;
      respond(ctx, request, status(e), true);
    }
  }

  private void watchEnded(WatchStream stream) {
    if (watch == stream) watch = null;
  }

  private static boolean isWebSocketUpgrade(FullHttpRequest request) {
    return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  private void respond(ChannelHandlerContext ctx, FullHttpRequest request, ApiResponse response, boolean keepAlive) {
    byte[] body = response.body() == null ? new byte[0] : response.body();
    FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
    if (response.contentType() != null) http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
    HttpUtil.setContentLength(http, body.length);
    boolean keep = keepAlive && HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(http, keep);
    LOG.debug("{}: {} {} -> {}", describe(), request.method().name(), request.uri(), response.status());
    ChannelFuture written = ctx.writeAndFlush(http);
    if (!keep) written.addListener(ChannelFutureListener.CLOSE);
  }

  private String describe() {
    return cluster.namespace() + "/" + cluster.name();
  }

  static ApiResponse status(ApiException e) {
    return status(e.code(), e.reason(), e.getMessage());
  }

  static ApiResponse status(int code, String reason, String message) {
    return new ApiResponse(code, "application/json", json(statusObject(code, reason, message)));
  }

  /** A {@code metav1.Status} of a failure. */
  static ObjectNode statusObject(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message == null ? "" : message);
    if (reason != null && !reason.isEmpty()) status.put("reason", reason);
    status.put("code", code);
    return status;
  }

  private static byte[] json(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
