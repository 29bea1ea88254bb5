package io.sagebrush.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sagebrush.common.sigv4.SigV4Verifier;
import io.sagebrush.gateway.invoke.GatewayContext;
import io.sagebrush.gateway.invoke.GatewayPipeline;
import io.sagebrush.gateway.metrics.GatewayMetrics;
import io.sagebrush.gateway.metrics.MetricSink;
import io.sagebrush.gateway.metrics.MetricsPublisher;
import io.sagebrush.gateway.routing.Router;
import io.sagebrush.gateway.routing.RoutingTableSource;
import io.sagebrush.gateway.tls.GatewayTls;
import io.sagebrush.gateway.upstream.UpstreamPool;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running inference gateway: the HTTPS server for {@code POST /endpoints/{name}/invocations} and
 * {@code GET /ping}, routing by the table its {@link RoutingTableSource} delivers.
 *
 * <p>Start one with {@link #start}; {@link #close()} stops it (in-flight requests are cut). Netty
 * event loops (epoll where available) serve clients and the pooled keep-alive connections to
 * replicas; a request and its upstream call run on one loop.
 */
public final class InferenceGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InferenceGateway.class);

  private final EventLoopGroup group;
  private final ExecutorService hashExecutor;
  private final Channel serverChannel;
  private final RoutingTableSource.Subscription subscription;
  private final Router router;
  private final int port;
  private volatile MetricsPublisher publisher;

  private InferenceGateway(
      EventLoopGroup group,
      ExecutorService hashExecutor,
      Channel serverChannel,
      RoutingTableSource.Subscription subscription,
      Router router) {
    this.group = group;
    this.hashExecutor = hashExecutor;
    this.serverChannel = serverChannel;
    this.subscription = subscription;
    this.router = router;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Starts a gateway and returns once it listens.
   *
   * @param config where to listen, TLS, credentials, limits
   * @param routes the routing table to follow (subscribed here, unsubscribed on close; the caller
   *     owns the source's own lifecycle)
   * @param registry where the per-variant metrics go
   * @throws IllegalStateException when the port cannot be bound or TLS cannot be set up
   */
  public static InferenceGateway start(
      GatewayConfig config, RoutingTableSource routes, MeterRegistry registry) {
    return start(config, routes, registry, MetricSink.NONE);
  }

  /**
   * Starts a gateway that also publishes its per-variant CloudWatch datapoints to {@code sink}
   * every {@link GatewayConfig#metricsInterval()} ({@link MetricsPublisher}).
   *
   * @param sink where the datapoints go; {@link MetricSink#NONE} publishes nothing
   */
  public static InferenceGateway start(
      GatewayConfig config, RoutingTableSource routes, MeterRegistry registry, MetricSink sink) {
    quietLeakDetection();
    SslContext ssl = config.tlsEnabled() ? GatewayTls.serverContext(config) : null;
    boolean epoll = Epoll.isAvailable();
    int threads =
        config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
    DefaultThreadFactory threadFactory = new DefaultThreadFactory("sagebrush-gateway", true);
    EventLoopGroup group =
        epoll
            ? new EpollEventLoopGroup(threads, threadFactory)
            : new NioEventLoopGroup(threads, threadFactory);
    Class<? extends ServerChannel> serverType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    ExecutorService hashExecutor =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(4, threads)),
            new DefaultThreadFactory("sagebrush-gateway-hash", true));
    UpstreamPool pool =
        new UpstreamPool(
            group,
            clientType,
            (int) Math.max(1, config.connectTimeout().toMillis()),
            config.maxIdleConnectionsPerReplica(),
            config.maxResponseBytes(),
            config.upstreamIdleTimeout());
    GatewayMetrics metrics = new GatewayMetrics(registry);
    Router router =
        new Router(
            metrics,
            retired -> {
              try {
                pool.retire(retired);
              } catch (RejectedExecutionException e) {
                // shutting down
              }
            });
    RoutingTableSource.Subscription subscription = routes.subscribe(router::apply);
    GatewayContext context =
        new GatewayContext(
            config,
            // the gateway holds every body whole: the payload hash is always checked against it
            new SigV4Verifier(
                config.accessKey(), config.secretKey(), config.clockSkew(), config.clock(), false),
            router,
            pool,
            hashExecutor);
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(serverType)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ChannelPipeline p = ch.pipeline();
                      if (ssl != null) {
                        p.addLast("tls", ssl.newHandler(ch.alloc()));
                      }
                      // paused while a request waits on the model (which may take longer)
                      p.addLast(
                          "idle", GatewayPipeline.clientIdleTimeout(config.clientIdleTimeout()));
                      GatewayPipeline.addHandlers(p, context);
                    }
                  })
              .bind(config.bindAddress(), config.port())
              .syncUninterruptibly()
              .channel();
      InferenceGateway gateway =
          new InferenceGateway(group, hashExecutor, channel, subscription, router);
      if (sink != MetricSink.NONE) {
        gateway.publisher =
            new MetricsPublisher(metrics, sink, config.metricsInterval(), config.clock()).start();
      }
      log.info(
          "Inference gateway listening on {}://{}:{} ({} event loops, {}, routing table {})",
          ssl != null ? "https" : "http",
          config.bindAddress(),
          gateway.port,
          threads,
          epoll ? "epoll" : "nio",
          router.version());
      return gateway;
    } catch (Exception e) {
      // Netty's native bind failure is a checked IOException thrown without being declared
      subscription.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      hashExecutor.shutdownNow();
      throw new IllegalStateException(
          "cannot start the inference gateway on "
              + config.bindAddress()
              + ":"
              + config.port()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Turns off Netty's sampled buffer-leak detection unless {@code io.netty.leakDetection.level} is
   * set: on by default, it records a stack trace for about one buffer in a hundred, which at tens
   * of thousands of requests a second is thousands of stack traces a second on the event loops. The
   * module's tests run with the paranoid level instead (every buffer tracked).
   */
  private static void quietLeakDetection() {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  /** The port the gateway listens on (the bound one when configured with 0). */
  public int port() {
    return port;
  }

  /** The version of the routing table in use (-1 before the first). */
  public long routingTableVersion() {
    return router.version();
  }

  /** Stops listening, closes every connection and stops the threads. Idempotent. */
  @Override
  public void close() {
    MetricsPublisher p = publisher;
    publisher = null;
    if (p != null) {
      p.close();
    }
    subscription.close();
    serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    hashExecutor.shutdownNow();
  }
}
