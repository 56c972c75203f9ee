package io.capdjava.docker.inmemory.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch served on a connection, as kube-apiserver serves it: for chunked HTTP a 200 response whose chunks are the
 * events, one JSON object a line; over WebSocket one text frame an event. When the request asks for initial events
 * ({@code sendInitialEvents=true}, or {@code resourceVersion} unset or 0, as {@link ApiRequests#watchRequest} decides)
 * the current objects come first as ADDED events (then, with bookmarks allowed, a bookmark marking their end), then
 * every change after the resourceVersion they were read at. A watch the store's history no longer
 * reaches ends with an ERROR event carrying a 410 Expired Status. The stream ends after {@code timeoutSeconds}
 * (kube-apiserver's default of 30 to 60 minutes when not given), when the client goes away, or when the client reads
 * too slowly: events wait in a queue bounded by {@link #MAX_PENDING_BYTES}, written while the connection is writable;
 * a connection over that bound, or not writable for {@link #MAX_UNWRITABLE_SECONDS}, is closed (the client re-watches).
 */
final class WatchStream implements Consumer<ObjectStore.WatchEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
  static final long MAX_PENDING_BYTES = 16L * 1024 * 1024;
  static final long MAX_UNWRITABLE_SECONDS = 60;
  /** kube-apiserver's {@code --min-request-timeout}: watches without a timeout end after 1 to 2 times this. */
  private static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;

  private final Channel channel;
  private final SimulatedCluster cluster;
  private final WatchRequest request;
  private final boolean websocket;
  private final boolean keepAlive;
  private final Consumer<WatchStream> onEnd;

  private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile boolean ended;

  // event loop only
  private boolean started;
  private boolean released;
  private long unwritableSince;
  private ObjectStore.Watch watch;
  private ScheduledFuture<?> timeout;
  private ScheduledFuture<?> unwritableCheck;

  WatchStream(Channel channel, SimulatedCluster cluster, WatchRequest request, boolean websocket, boolean keepAlive,
      Consumer<WatchStream> onEnd) {
    this.channel = channel;
    this.cluster = cluster;
    this.request = request;
    this.websocket = websocket;
    this.keepAlive = keepAlive;
    this.onEnd = onEnd;
  }

  boolean websocket() {
    return websocket;
  }

  /**
   * Registers the watch and writes the response head and the initial events (event loop). For chunked HTTP, an
   * {@link ApiException} other than 410 is thrown before anything was written, for the caller to answer as a Status.
   */
  void start() {
    if (ended || !channel.isActive()) return;
    ObjectStore store = cluster.objects();
    ResourceType type = request.type();
    long from = request.resourceVersion();
    List<ObjectNode> initialObjects = List.of();
    if (request.sendInitialEvents()) {
      // the objects and the resourceVersion they were read at, atomically: the watch from it misses nothing
      ObjectStore.Listing listing = store.listing(type, request.namespace(), request.filter());
      initialObjects = listing.items();
      from = listing.resourceVersion();
    }
    try {
      watch = store.watch(type, request.namespace(), from, this);
    } catch (ApiException e) {
      if (e.code() != 410 && !websocket) throw e;
      LOG.debug("{}/{}: watch of {} refused: {}", cluster.namespace(), cluster.name(), type.plural(), e.getMessage());
      ended = true;
      writeHead();
      channel.write(frame(ApiRequests.errorEvent(e)));
      finish();
      return;
    }
    LOG.debug("{}/{}: watch of {} over {} from resourceVersion {}, {} initial events", cluster.namespace(),
        cluster.name(), type.plural(), websocket ? "WebSocket" : "chunked HTTP", from, initialObjects.size());
    writeHead();
    for (ObjectNode object : initialObjects) {
      channel.write(frame(ApiRequests.encode(new ObjectStore.WatchEvent(ObjectStore.EventType.ADDED, object))));
    }
    if (request.sendInitialEvents() && request.allowBookmarks()) {
      channel.write(frame(ApiRequests.bookmark(type, from, true)));
    }
    channel.flush();
    started = true;
    long seconds = request.timeoutSeconds() != null && request.timeoutSeconds() > 0 ? request.timeoutSeconds()
        : MIN_REQUEST_TIMEOUT_SECONDS + ThreadLocalRandom.current().nextLong(MIN_REQUEST_TIMEOUT_SECONDS);
    timeout = channel.eventLoop().schedule(this::end, seconds, TimeUnit.SECONDS);
    if (!channel.isWritable()) writabilityChanged();
    drain();
  }

  /** An event from the store, on the thread that made the change: queued, written by the event loop. */
  @Override
  public void accept(ObjectStore.WatchEvent event) {
    if (ended) return;
    try {
      if (!request.filter().test(event.object())) return;
      byte[] line = ApiRequests.encode(event);
      long pending = pendingBytes.addAndGet(line.length);
      queue.add(line);
      if (pending > MAX_PENDING_BYTES) {
        LOG.warn("{}/{}: closing a watch of {}: the client reads too slowly ({} bytes of events pending)",
            cluster.namespace(), cluster.name(), request.type().plural(), pending);
        ended = true;
        queue.clear();
        channel.close();
        return;
      }
      if (drainScheduled.compareAndSet(false, true)) channel.eventLoop().execute(this::drain);
    } catch (RuntimeException e) {
      // never into the store: the change was made, this watcher is the one failing
      LOG.debug("{}/{}: watch of {} failed: {}", cluster.namespace(), cluster.name(), request.type().plural(),
          String.valueOf(e.getMessage()));
      ended = true;
      channel.close();
    }
  }

  /** The connection's writability changed (event loop). */
  void writabilityChanged() {
    if (ended) return;
    if (channel.isWritable()) {
      unwritableSince = 0;
      if (unwritableCheck != null) unwritableCheck.cancel(false);
      drain();
    } else if (unwritableSince == 0) {
      unwritableSince = System.nanoTime();
      unwritableCheck = channel.eventLoop().schedule(this::checkUnwritable, MAX_UNWRITABLE_SECONDS, TimeUnit.SECONDS);
    }
  }

  private void checkUnwritable() {
    if (ended || unwritableSince == 0 || channel.isWritable()) return;
    LOG.warn("{}/{}: closing a watch of {}: the client read nothing for {}s", cluster.namespace(), cluster.name(),
        request.type().plural(), MAX_UNWRITABLE_SECONDS);
    ended = true;
    channel.close();
  }

  /** A frame from a WebSocket client: answers pings, ends on close, ignores the rest. */
  void onFrame(WebSocketFrame frame) {
    if (frame instanceof CloseWebSocketFrame) {
      closed();
      channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (frame instanceof PingWebSocketFrame) {
      channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    }
  }

  /** The connection closed: stop watching (event loop). */
  void closed() {
    ended = true;
    release();
  }

  /** Writes what is queued while the connection takes it (event loop). */
  private void drain() {
    drainScheduled.set(false);
    if (!started || ended) return;
    boolean wrote = false;
    while (channel.isWritable()) {
      byte[] line = queue.poll();
      if (line == null) break;
      pendingBytes.addAndGet(-line.length);
      channel.write(frame(line));
      wrote = true;
    }
    if (wrote) channel.flush();
  }

  /** The timeout: what is queued is written, then the stream ends (event loop). */
  private void end() {
    if (ended) return;
    ended = true;
    for (byte[] line; (line = queue.poll()) != null; ) channel.write(frame(line));
    finish();
  }

  /** Ends the response: the last chunk (the connection stays for the next request) or a close frame. */
  private void finish() {
    release();
    if (websocket) {
      channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      var written = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void release() {
    if (released) return;
    released = true;
    if (watch != null) {
      try {
        watch.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a watch failed: {}", String.valueOf(e.getMessage()));
      }
      watch = null;
    }
    if (timeout != null) timeout.cancel(false);
    if (unwritableCheck != null) unwritableCheck.cancel(false);
    queue.clear();
    pendingBytes.set(0);
    onEnd.accept(this);
  }

  private void writeHead() {
    if (websocket) return;
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
    HttpUtil.setTransferEncodingChunked(head, true);
    HttpUtil.setKeepAlive(head, keepAlive);
    channel.write(head);
  }

  private Object frame(byte[] line) {
    return websocket ? new TextWebSocketFrame(Unpooled.wrappedBuffer(line)) : new DefaultHttpContent(
        Unpooled.wrappedBuffer(line));
  }
}
