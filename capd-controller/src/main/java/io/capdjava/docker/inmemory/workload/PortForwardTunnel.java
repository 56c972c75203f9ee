package io.capdjava.docker.inmemory.workload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port-forward stream of the WebSocket channel protocol ({@code v4.channel.k8s.io}), as the kubelet serves it:
 * every binary frame starts with a channel byte, channel 0 carries the forwarded port's bytes both ways, channel 1
 * errors from the server. It starts by sending, on both channels, the port as two little-endian bytes (clients skip
 * these two frames), then either tunnels channel 0 into an in-process etcd endpoint or reports on channel 1 why the
 * port cannot be reached and closes.
 *
 * <p>The etcd endpoint is an {@link EmbeddedChannel} (TLS, HTTP/1.1, {@link EtcdGatewayHttpHandler}) driven from this
 * connection's event loop: no thread, no socket. Bytes from channel 0 go in as if read from a socket; what it writes
 * goes out as channel 0 frames. Either side closing closes the other, as the kubelet ends the stream when the
 * connection to the pod's port ends.
 */
final class PortForwardTunnel extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(PortForwardTunnel.class);
  static final byte DATA_CHANNEL = 0;
  static final byte ERROR_CHANNEL = 1;
  /** etcd's default --max-request-bytes (1.5 MiB) and some room for the JSON around it. */
  private static final int MAX_HTTP_REQUEST_BYTES = 2 * 1024 * 1024;
  /** How long to wait for the client to answer our close frame before dropping the connection. */
  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private final int port;
  private final String description;
  /** Null when the port cannot be reached: then {@link #refusal} says why. */
  private final SslContext endpointTls;
  /** What answers the HTTP requests inside the tunnel's TLS (etcd's gateway, or the API server's requests). */
  private final ChannelHandler endpointHandler;
  private final String refusal;

  private Channel websocket;
  private EmbeddedChannel endpoint;
  private boolean closing;

  private PortForwardTunnel(int port, String description, SslContext endpointTls, ChannelHandler endpointHandler,
      String refusal) {
    this.port = port;
    this.description = description;
    this.endpointTls = endpointTls;
    this.endpointHandler = endpointHandler;
    this.refusal = refusal;
  }

  /** A stream to an etcd member's client port. */
  static PortForwardTunnel toEtcd(int port, String description, SslContext tls, EtcdGateway gateway) {
    return new PortForwardTunnel(port, description, tls, new EtcdGatewayHttpHandler(gateway), null);
  }

  /**
   * A stream to an API server pod's secure port: its serving certificate (KCP reads its expiry this way, as
   * upstream's KCP does), and the cluster's API behind it.
   */
  static PortForwardTunnel toApiServer(int port, String description, SslContext tls, ApiRequests requests) {
    return new PortForwardTunnel(port, description, tls, new ApiRequestsHttpHandler(requests), null);
  }

  /** A stream that reports {@code error} on the error channel and ends. */
  static PortForwardTunnel refused(int port, String description, String error) {
    return new PortForwardTunnel(port, description, null, null, error);
  }

  /** Called once the WebSocket handshake response is out: sends the port headers, then serves or refuses. */
  void start(Channel channel) {
    websocket = channel;
    websocket.write(frame(DATA_CHANNEL, portBytes()));
    websocket.write(frame(ERROR_CHANNEL, portBytes()));
    if (refusal != null) {
      LOG.debug("port-forward {}: {}", description, refusal);
      websocket.write(frame(ERROR_CHANNEL, refusal.getBytes(StandardCharsets.UTF_8)));
      websocket.flush();
      closeGracefully();
      return;
    }
    websocket.flush();
    endpoint = new EmbeddedChannel(new ToWebSocket(),
        endpointTls.newHandler(ByteBufAllocator.DEFAULT, ImmediateExecutor.INSTANCE),
        new HttpServerCodec(),
        new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES),
        endpointHandler,
        new CloseOnError());
    LOG.debug("port-forward {}: tunnel open", description);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame) {
        // the base64 variant of the protocol is not offered, so text frames carry raw bytes too
        fromClient(((io.netty.buffer.ByteBufHolder) msg).content());
      } else if (msg instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (msg instanceof CloseWebSocketFrame close) {
        onClientClose(close);
      }
      // pongs and anything else: nothing to do
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    closeEndpoint();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("port-forward {} failed: {}", description, String.valueOf(cause.getMessage()));
    ctx.close();
  }

  private void fromClient(ByteBuf content) {
    if (!content.isReadable()) return;
    byte channel = content.readByte();
    // the error channel is the server's to write; like the kubelet, ignore what a client sends on it
    if (channel != DATA_CHANNEL || !content.isReadable() || endpoint == null || !endpoint.isOpen() || closing) return;
    try {
      endpoint.writeInbound(content.retainedSlice());
    } catch (RuntimeException e) {
      LOG.debug("port-forward {}: etcd endpoint failed: {}", description, String.valueOf(e.getMessage()));
      endpoint.close();
    }
  }

  private void onClientClose(CloseWebSocketFrame close) {
    if (closing) {
      // the answer to our close frame: the handshake is done
      websocket.close();
      return;
    }
    closing = true;
    websocket.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
        .addListener(ChannelFutureListener.CLOSE);
    closeEndpoint();
  }

  /** Sends a close frame and waits a little for the client's answer, so frames sent before it are not cut off. */
  private void closeGracefully() {
    if (closing || !websocket.isActive()) return;
    closing = true;
    websocket.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    Channel channel = websocket;
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private void closeEndpoint() {
    if (endpoint != null && endpoint.isOpen()) endpoint.close();
  }

  private byte[] portBytes() {
    return new byte[] {(byte) (port & 0xff), (byte) ((port >> 8) & 0xff)};
  }

  private BinaryWebSocketFrame frame(byte channel, byte[] payload) {
    ByteBuf content = websocket.alloc().buffer(1 + payload.length);
    content.writeByte(channel).writeBytes(payload);
    return new BinaryWebSocketFrame(content);
  }

  /** The socket end of the etcd endpoint: what it writes leaves as channel 0 frames; its closing ends the stream. */
  private final class ToWebSocket extends ChannelDuplexHandler {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      try {
        if (msg instanceof ByteBuf bytes && bytes.isReadable() && websocket.isActive()) {
          ByteBuf content = websocket.alloc().buffer(1 + bytes.readableBytes());
          content.writeByte(DATA_CHANNEL).writeBytes(bytes);
          websocket.write(new BinaryWebSocketFrame(content));
        }
        promise.setSuccess();
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      websocket.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
      // what TLS wrote last (close_notify) goes out before the close frame
      websocket.flush();
      closeGracefully();
      ctx.close(promise);
    }
  }

  /** TLS or HTTP failures of the endpoint end the stream, as a broken etcd connection would. */
  private final class CloseOnError extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("port-forward {}: etcd endpoint closed: {}", description, String.valueOf(cause.getMessage()));
      ctx.close();
    }
  }
}
