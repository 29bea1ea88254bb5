package io.sagebrush.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.sagebrush.gateway.routing.Replica;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Keep-alive connections to replicas, pooled per replica and per event loop: a request takes an
 * idle connection of its own event loop (the most recently used one) or opens a new one on that
 * loop, and gives it back when the response has arrived. No locks: each loop only touches its own
 * pool. Connections of replicas that left the routing table are closed once idle.
 */
public final class UpstreamPool {
  private final EventLoopGroup group;
  private final Bootstrap template;
  private final int maxIdlePerReplica;
  private final int maxResponseBytes;
  private final long maxIdleNanos;
  private final FastThreadLocal<LoopPool> idle =
      new FastThreadLocal<>() {
        @Override
        protected LoopPool initialValue() {
          return new LoopPool();
        }
      };

  /** One event loop's idle connections, and whether its sweep runs. */
  private static final class LoopPool {
    final Map<Replica, ArrayDeque<UpstreamConnection>> byReplica = new HashMap<>();
    boolean sweeping;
  }

  public UpstreamPool(
      EventLoopGroup group,
      Class<? extends Channel> channelType,
      int connectTimeoutMillis,
      int maxIdlePerReplica,
      int maxResponseBytes) {
    this(
        group,
        channelType,
        connectTimeoutMillis,
        maxIdlePerReplica,
        maxResponseBytes,
        Duration.ofSeconds(4));
  }

  /**
   * @param maxIdle how long a connection may sit idle in the pool before it is closed (keep it
   *     below the containers' own keep-alive time-out, so that a pooled connection is rarely one
   *     the container has already closed)
   */
  public UpstreamPool(
      EventLoopGroup group,
      Class<? extends Channel> channelType,
      int connectTimeoutMillis,
      int maxIdlePerReplica,
      int maxResponseBytes,
      Duration maxIdle) {
    this.group = group;
    this.maxIdlePerReplica = maxIdlePerReplica;
    this.maxResponseBytes = maxResponseBytes;
    this.maxIdleNanos = Math.max(1, maxIdle.toNanos());
    this.template =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true);
  }

  /**
   * Gets a connection to {@code replica} on {@code loop} (the caller's loop): an idle one at once,
   * or a new one when connected. {@code callback} gets the connection or the connect failure, on
   * {@code loop}. {@code nowNanos} is the caller's {@link System#nanoTime()}, read just before.
   */
  public void acquire(
      EventLoop loop,
      Replica replica,
      long nowNanos,
      BiConsumer<UpstreamConnection, Throwable> callback) {
    ArrayDeque<UpstreamConnection> idleConnections = idle.get().byReplica.get(replica);
    if (idleConnections != null) {
      UpstreamConnection c;
      long now = nowNanos;
      while ((c = idleConnections.pollLast()) != null) {
        c.idleIn = null;
        if (now - c.idleSinceNanos > maxIdleNanos) {
          c.channel().close();
        } else if (c.channel().isActive()) {
          c.reused(true, now);
          callback.accept(c, null);
          return;
        }
      }
    }
    UpstreamConnection connection = new UpstreamConnection(replica, maxResponseBytes);
    template
        .clone(loop)
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(connection.decoder()).addLast(connection);
              }
            })
        .connect(replica.address())
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    connection.reused(false, System.nanoTime());
                    callback.accept(connection, null);
                  } else {
                    callback.accept(null, f.cause());
                  }
                });
  }

  /**
   * Gives a connection back after its exchange: kept idle when the container allows keep-alive, the
   * request was written out completely and the replica is still routed to; closed otherwise. Call
   * on the connection's loop; {@code nowNanos} is the caller's {@link System#nanoTime()}.
   */
  public void release(UpstreamConnection connection, boolean keepAlive, long nowNanos) {
    Channel channel = connection.channel();
    if (!keepAlive
        || !connection.requestWritten()
        || !channel.isActive()
        || connection.replica().retired()) {
      channel.close();
      return;
    }
    LoopPool pool = idle.get();
    ArrayDeque<UpstreamConnection> deque =
        pool.byReplica.computeIfAbsent(connection.replica(), r -> new ArrayDeque<>());
    if (deque.size() >= maxIdlePerReplica) {
      channel.close();
      return;
    }
    connection.idleIn = deque;
    connection.idleSinceNanos = nowNanos;
    deque.addLast(connection);
    if (!pool.sweeping) {
      pool.sweeping = true;
      long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), maxIdleNanos / 2);
      channel
          .eventLoop()
          .scheduleWithFixedDelay(() -> sweep(pool), period, period, TimeUnit.NANOSECONDS);
    }
  }

  /** Closes the connections that have been idle too long (the oldest sit at each deque's head). */
  private void sweep(LoopPool pool) {
    long now = System.nanoTime();
    for (var it = pool.byReplica.values().iterator(); it.hasNext(); ) {
      ArrayDeque<UpstreamConnection> deque = it.next();
      UpstreamConnection c;
      while ((c = deque.peekFirst()) != null && now - c.idleSinceNanos > maxIdleNanos) {
        deque.pollFirst();
        c.idleIn = null;
        c.channel().close();
      }
      if (deque.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Closes the caller loop's idle connections to a replica (they proved stale). */
  public void dropIdle(Replica replica) {
    closeAll(idle.get().byReplica.remove(replica));
  }

  /** Closes, on every loop, the idle connections to replicas that left the routing table. */
  public void retire(List<Replica> replicas) {
    for (EventExecutor executor : group) {
      executor.execute(
          () -> {
            Map<Replica, ArrayDeque<UpstreamConnection>> pool = idle.get().byReplica;
            for (Replica r : replicas) {
              closeAll(pool.remove(r));
            }
          });
    }
  }

  private static void closeAll(ArrayDeque<UpstreamConnection> connections) {
    if (connections == null) {
      return;
    }
    UpstreamConnection c;
    while ((c = connections.pollFirst()) != null) {
      c.idleIn = null;
      c.channel().close();
    }
  }
}
