package io.sagebrush.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.sagebrush.gateway.routing.Replica;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private final FastThreadLocal<Map<Replica, ArrayDeque<UpstreamConnection>>> idle =
      new FastThreadLocal<>() {
        @Override
        protected Map<Replica, ArrayDeque<UpstreamConnection>> initialValue() {
          return new HashMap<>();
        }
      };

  public UpstreamPool(
      EventLoopGroup group,
      Class<? extends Channel> channelType,
      int connectTimeoutMillis,
      int maxIdlePerReplica,
      int maxResponseBytes) {
    this.group = group;
    this.maxIdlePerReplica = maxIdlePerReplica;
    this.maxResponseBytes = maxResponseBytes;
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
   * {@code loop}.
   */
  public void acquire(
      EventLoop loop, Replica replica, BiConsumer<UpstreamConnection, Throwable> callback) {
    ArrayDeque<UpstreamConnection> idleConnections = idle.get().get(replica);
    if (idleConnections != null) {
      UpstreamConnection c;
      while ((c = idleConnections.pollLast()) != null) {
        c.idleIn = null;
        if (c.channel().isActive()) {
          c.reused(true);
          callback.accept(c, null);
          return;
        }
      }
    }
    UpstreamConnection connection = new UpstreamConnection(replica);
    template
        .clone(loop)
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(connection.new ByteWatcher())
                    .addLast(new HttpClientCodec(4096, 16384, 16384))
                    .addLast(new HttpObjectAggregator(maxResponseBytes))
                    .addLast(connection);
              }
            })
        .connect(replica.address())
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    callback.accept(connection, null);
                  } else {
                    callback.accept(null, f.cause());
                  }
                });
  }

  /**
   * Gives a connection back after its exchange: kept idle when the container allows keep-alive and
   * the replica is still routed to, closed otherwise. Call on the connection's loop.
   */
  public void release(UpstreamConnection connection, boolean keepAlive) {
    Channel channel = connection.channel();
    if (!keepAlive || !channel.isActive() || connection.replica().retired()) {
      channel.close();
      return;
    }
    ArrayDeque<UpstreamConnection> deque =
        idle.get().computeIfAbsent(connection.replica(), r -> new ArrayDeque<>());
    if (deque.size() >= maxIdlePerReplica) {
      channel.close();
      return;
    }
    connection.idleIn = deque;
    deque.addLast(connection);
  }

  /** Closes the caller loop's idle connections to a replica (they proved stale). */
  public void dropIdle(Replica replica) {
    closeAll(idle.get().remove(replica));
  }

  /** Closes, on every loop, the idle connections to replicas that left the routing table. */
  public void retire(List<Replica> replicas) {
    for (EventExecutor executor : group) {
      executor.execute(
          () -> {
            Map<Replica, ArrayDeque<UpstreamConnection>> pool = idle.get();
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
