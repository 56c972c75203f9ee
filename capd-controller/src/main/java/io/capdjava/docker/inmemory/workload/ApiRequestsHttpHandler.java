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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The cluster's API over a port-forward to an API server pod: plain requests answered by {@link ApiRequests}; watches
 * and nested port-forwards are not served there (nothing asks for them through that path).
 */
final class ApiRequestsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final ApiRequests requests;

  ApiRequestsHttpHandler(ApiRequests requests) {
    this.requests = requests;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    ApiResponse answer;
    if (!request.decoderResult().isSuccess()) {
      answer = ApiServerHandler.status(400, "BadRequest", "malformed HTTP request");
    } else {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      try {
        if (requests.watchRequest(request.method().name(), uri.path(), uri.parameters()).isPresent()) {
          answer = ApiServerHandler.status(400, "BadRequest", "watches are not served through a port-forward");
        } else {
          answer = requests.handle(request.method().name(), uri.path(), uri.parameters(),
              request.headers().get(HttpHeaderNames.CONTENT_TYPE), ByteBufUtil.getBytes(request.content()));
        }
      } catch (ApiException e) {
        answer = ApiServerHandler.status(e.code(), e.reason(), e.getMessage());
      }
    }
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
        HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
    if (answer.contentType() != null) response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    HttpUtil.setContentLength(response, answer.body().length);
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
  }
}
