package io.sagebrush.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sagebrush.gateway.routing.Replica;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection to a replica and the exchange (request and awaited response) running on
 * it. All methods run on the connection's event loop.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  /**
   * Told how an exchange ended: exactly one of {@link #onTimeout}, {@link #onResponse}, {@link
   * #onFailure} and {@link #onStreamEnd} is called, once. A streamed answer (see {@link #send}'s
   * {@code stream}) first calls {@link #onStreamHead} and {@link #onStreamPart}.
   */
  public interface Exchange {
    /**
     * The container did not answer by the deadline given to {@link #send}; the callee decides what
     * becomes of the connection (usually {@link #abandon()}).
     */
    void onTimeout(UpstreamConnection connection);

    /** The container answered; the callee owns {@code response} and must release it. */
    void onResponse(UpstreamConnection connection, ReplicaResponse response);

    /**
     * The exchange failed.
     *
     * @param beforeAnyByte true when the connection closed or failed before the container sent a
     *     single byte of its response
     * @param requestWritten true when the whole request had been written to the connection before
     *     it failed (false: the container cannot have acted on it)
     */
    void onFailure(
        UpstreamConnection connection,
        Throwable cause,
        boolean beforeAnyByte,
        boolean requestWritten);

    /** A streamed 2xx answer began. */
    void onStreamHead(UpstreamConnection connection, ReplicaStream.Head head);

    /** A piece of a streamed answer's body; the callee owns {@code content}. */
    void onStreamPart(UpstreamConnection connection, ByteBuf content);

    /** A streamed answer is complete. */
    void onStreamEnd(UpstreamConnection connection, boolean keepAlive);
  }

  private final Replica replica;
  private final ReplicaResponseDecoder decoder;
  private Channel channel;
  private Exchange exchange;
  private boolean written;
  private boolean reused;
  private long takenNanos;
  private long deadlineNanos;
  private ScheduledFuture<?> deadlineCheck;
  private long checkAtNanos;
  private final ChannelFutureListener writeListener =
      f -> {
        if (f.isSuccess()) {
          written = true;
        } else {
          fail(f.cause());
          f.channel().close();
        }
      };
  ArrayDeque<UpstreamConnection> idleIn;
  long idleSinceNanos;

  UpstreamConnection(Replica replica, int maxResponseBytes) {
    this.replica = replica;
    this.decoder = new ReplicaResponseDecoder(maxResponseBytes);
  }

  /** The decoder of this connection's answers, which goes in front of it in the pipeline. */
  ReplicaResponseDecoder decoder() {
    return decoder;
  }

  public Replica replica() {
    return replica;
  }

  public Channel channel() {
    return channel;
  }

  /** True when this connection was taken from the idle pool rather than freshly opened. */
  public boolean reused() {
    return reused;
  }

  void reused(boolean value, long nowNanos) {
    reused = value;
    takenNanos = nowNanos;
  }

  /** When the connection was last handed out ({@link System#nanoTime()}). */
  public long takenNanos() {
    return takenNanos;
  }

  /** True once the request of the current (or last) exchange was written out completely. */
  public boolean requestWritten() {
    return written;
  }

  /**
   * Sends a request (encoded whole, see {@link ReplicaRequest}); the exchange is told how it ends.
   *
   * @param deadlineNanos when ({@link System#nanoTime()}) the exchange times out
   */
  public void send(ByteBuf request, Exchange listener, long deadlineNanos) {
    send(request, listener, deadlineNanos, false);
  }

  /**
   * {@link #send(ByteBuf, Exchange, long)}; with {@code stream}, a 2xx answer is passed on as it
   * arrives (the deadline still covers the whole answer).
   */
  public void send(ByteBuf request, Exchange listener, long deadlineNanos, boolean stream) {
    if (stream) {
      decoder.streamNextAnswer();
    }
    exchange = listener;
    decoder.clearBytesSeen();
    written = false;
    this.deadlineNanos = deadlineNanos;
    if (deadlineCheck == null || deadlineNanos - checkAtNanos < 0) {
      // none pending, or the pending one comes after this deadline
      if (deadlineCheck != null) {
        deadlineCheck.cancel(false);
      }
      armDeadlineCheck(deadlineNanos - System.nanoTime());
    }
    // Written without a promise: a failure reaches exceptionCaught. The usual request goes to the
    // socket whole inside this call; when some of it is left queued, an empty write behind it
    // tells when the rest has gone (promises complete in order).
    channel.writeAndFlush(request, channel.voidPromise());
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
    if (queued != null && queued.isEmpty()) {
      written = true;
    } else if (queued != null) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(writeListener);
    } else if (exchange == listener) {
      // closed, and no longer registered: the void promise told nobody
      fail(new ClosedChannelException());
    }
  }

  /**
   * One timer per connection rather than one per request: when it fires it times out the current
   * exchange if its deadline has passed, else waits for that deadline; with no exchange it stops
   * (the next {@link #send} starts it again).
   */
  private void armDeadlineCheck(long delayNanos) {
    checkAtNanos = System.nanoTime() + delayNanos;
    deadlineCheck =
        channel.eventLoop().schedule(this::checkDeadline, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkDeadline() {
    deadlineCheck = null;
    Exchange listener = exchange;
    if (listener == null || !channel.isOpen()) {
      return;
    }
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      armDeadlineCheck(left);
      return;
    }
    exchange = null;
    listener.onTimeout(this);
  }

  /** Forgets the exchange (it timed out) and closes the connection. */
  public void abandon() {
    exchange = null;
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ReplicaStream streamed) {
      streamRead(ctx, streamed);
      return;
    }
    if (!(msg instanceof ReplicaResponse response)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    Exchange listener = exchange;
    exchange = null;
    if (listener == null) {
      // an answer nobody waits for: the connection's state is unknown, so it goes
      response.content().release();
      ctx.close();
      return;
    }
    listener.onResponse(this, response);
  }

  private void streamRead(ChannelHandlerContext ctx, ReplicaStream msg) {
    Exchange listener = exchange;
    if (listener == null) {
      // nobody waits for it (the exchange was abandoned): the connection goes
      if (msg instanceof ReplicaStream.Part part) {
        part.content().release();
      }
      ctx.close();
      return;
    }
    if (msg instanceof ReplicaStream.Head head) {
      listener.onStreamHead(this, head);
    } else if (msg instanceof ReplicaStream.Part part) {
      listener.onStreamPart(this, part.content());
    } else if (msg instanceof ReplicaStream.End end) {
      exchange = null;
      listener.onStreamEnd(this, end.keepAlive());
    }
  }

  /** Stops (false) or resumes (true) reading the container's answer, while the client is slow. */
  public void reading(boolean on) {
    if (channel != null) {
      channel.config().setAutoRead(on);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (deadlineCheck != null) {
      deadlineCheck.cancel(false);
      deadlineCheck = null;
    }
    if (idleIn != null) {
      idleIn.remove(this);
      idleIn = null;
    }
    fail(new ClosedChannelException());
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    ctx.close();
  }

  private void fail(Throwable cause) {
    Exchange listener = exchange;
    exchange = null;
    if (listener != null) {
      listener.onFailure(this, cause, !decoder.bytesSeen(), written);
    }
  }
}
