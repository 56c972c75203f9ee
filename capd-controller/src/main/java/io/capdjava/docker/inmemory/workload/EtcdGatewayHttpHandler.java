package io.capdjava.docker.inmemory.workload;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Serves {@link EtcdGateway} over HTTP/1.1: every request is answered from the gateway, keep-alive as the client asks
 * (KCP's HTTP client sends its calls on one connection through one port-forward).
 */
final class EtcdGatewayHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final EtcdGateway gateway;

  EtcdGatewayHttpHandler(EtcdGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    EtcdGateway.Response answer;
    if (!request.decoderResult().isSuccess()) {
      answer = new EtcdGateway.Response(400,
          "{\"code\":3,\"message\":\"malformed HTTP request\"}".getBytes(StandardCharsets.UTF_8));
    } else if (!HttpMethod.POST.equals(request.method())) {
      answer = EtcdGateway.methodNotAllowed();
    } else {
      answer = gateway.handle(new QueryStringDecoder(request.uri()).path(), ByteBufUtil.getBytes(request.content()));
    }
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
        HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    HttpUtil.setContentLength(response, answer.body().length);
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
  }
}
