package io.sagebrush.gateway.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.sagebrush.gateway.GatewayConfig;
import io.sagebrush.gateway.InferenceGateway;
import io.sagebrush.gateway.routing.RoutingTableHolder;
import io.sagebrush.protocol.RoutingTable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A quick latency check, not a test: one keep-alive connection sends the same signed request over
 * and over, straight to a Netty replica and through the gateway (plain HTTP), and prints p50/p99 of
 * both and their difference. Run with {@code java -cp <test classpath> ...GatewayLatencyBench [n]}.
 */
public final class GatewayLatencyBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    EpollEventLoopGroup replicaGroup = new EpollEventLoopGroup(1);
    byte[] answer = "{\"predictions\":[0.1234]}".getBytes(StandardCharsets.UTF_8);
    Channel replica =
        new ServerBootstrap()
            .group(replicaGroup)
            .channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(10_000_000))
                        .addLast(
                            new SimpleChannelInboundHandler<FullHttpRequest>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpRequest msg) {
                                ByteBuf body = Unpooled.wrappedBuffer(answer);
                                DefaultFullHttpResponse r =
                                    new DefaultFullHttpResponse(
                                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                                r.headers()
                                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                    .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.length);
                                ctx.writeAndFlush(r);
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    int replicaPort = ((InetSocketAddress) replica.localAddress()).getPort();
    RoutingTableHolder routes =
        new RoutingTableHolder(
            new RoutingTable(
                1,
                List.of(
                    new RoutingTable.EndpointRoute(
                        "bench",
                        "arn",
                        "InService",
                        List.of(
                            new RoutingTable.VariantRoute(
                                "AllTraffic",
                                "f",
                                1,
                                List.of(
                                    new RoutingTable.ReplicaRoute(
                                        "r1", "http://127.0.0.1:" + replicaPort))))))));
    InferenceGateway gateway =
        InferenceGateway.start(
            GatewayConfig.builder()
                .bindAddress("127.0.0.1")
                .port(0)
                .tlsEnabled(false)
                .credentials("AK", "SK")
                .ioThreads(1)
                .build(),
            routes,
            new SimpleMeterRegistry());
    byte[] body = "1.0,2.0,3.0,4.0".getBytes(StandardCharsets.UTF_8);
    byte[] viaGateway = signed(gateway.port(), body);
    byte[] direct =
        ("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1:"
                + replicaPort
                + "\r\nContent-Type: text/csv\r\nContent-Length: "
                + body.length
                + "\r\n\r\n"
                + new String(body, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < 2; round++) {
      long[] d = run(replicaPort, direct, n);
      long[] g = run(gateway.port(), viaGateway, n);
      System.out.printf(
          "round %d: direct p50 %.1f us p99 %.1f us | gateway p50 %.1f us p99 %.1f us | overhead p50 %.1f us p99 %.1f us%n",
          round, p(d, 50), p(d, 99), p(g, 50), p(g, 99), p(g, 50) - p(d, 50), p(g, 99) - p(d, 99));
    }
    for (int threads : new int[] {16}) {
      double d = throughput(replicaPort, direct, threads, 4000);
      double g = throughput(gateway.port(), viaGateway, threads, 4000);
      System.out.printf(
          "throughput with %d connections: direct %.0f/s, gateway %.0f/s%n", threads, d, g);
    }
    InferenceGateway tls =
        InferenceGateway.start(
            GatewayConfig.builder()
                .bindAddress("127.0.0.1")
                .port(0)
                .credentials("AK", "SK")
                .ioThreads(1)
                .build(),
            routes,
            new SimpleMeterRegistry());
    System.out.println("BoringSSL available: " + io.netty.handler.ssl.OpenSsl.isAvailable());
    byte[] viaTls = signed(tls.port(), body);
    for (int round = 0; round < 2; round++) {
      long[] d = run(replicaPort, direct, n);
      long[] g = runTls(tls.port(), viaTls, n);
      System.out.printf(
          "TLS round %d: direct p50 %.1f us p99 %.1f us | gateway p50 %.1f us p99 %.1f us | overhead p50 %.1f us p99 %.1f us%n",
          round, p(d, 50), p(d, 99), p(g, 50), p(g, 99), p(g, 50) - p(d, 50), p(g, 99) - p(d, 99));
    }
    tls.close();
    gateway.close();
    replica.close();
    replicaGroup.shutdownGracefully();
  }

  static double p(long[] sorted, int percentile) {
    return sorted[(int) Math.min(sorted.length - 1, sorted.length * percentile / 100.0)] / 1000.0;
  }

  static long[] run(int port, byte[] request, int n) throws Exception {
    long[] latencies = new long[n];
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      for (int i = -2000; i < n; i++) {
        long start = System.nanoTime();
        out.write(request);
        out.flush();
        readResponse(in, buffer);
        if (i >= 0) {
          latencies[i] = System.nanoTime() - start;
        }
      }
    }
    Arrays.sort(latencies);
    return latencies;
  }

  static double throughput(int port, byte[] request, int threads, long millis) throws Exception {
    java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
    long end = System.currentTimeMillis() + millis;
    List<Thread> workers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  InputStream in = socket.getInputStream();
                  byte[] buffer = new byte[65536];
                  while (System.currentTimeMillis() < end) {
                    out.write(request);
                    out.flush();
                    readResponse(in, buffer);
                    count.incrementAndGet();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    return count.get() * 1000.0 / millis;
  }

  static long[] runTls(int port, byte[] request, int n) throws Exception {
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
              return new java.security.cert.X509Certificate[0];
            }
          }
        },
        null);
    long[] latencies = new long[n];
    try (Socket socket = context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      for (int i = -2000; i < n; i++) {
        long start = System.nanoTime();
        out.write(request);
        out.flush();
        readResponse(in, buffer);
        if (i >= 0) {
          latencies[i] = System.nanoTime() - start;
        }
      }
    }
    Arrays.sort(latencies);
    return latencies;
  }

  /** Reads one response with a Content-Length body. */
  static void readResponse(InputStream in, byte[] buffer) throws Exception {
    int length = 0;
    int headerEnd = -1;
    while (headerEnd < 0) {
      int r = in.read(buffer, length, buffer.length - length);
      if (r < 0) {
        throw new IllegalStateException("closed");
      }
      length += r;
      for (int i = 3; i < length; i++) {
        if (buffer[i - 3] == '\r'
            && buffer[i - 2] == '\n'
            && buffer[i - 1] == '\r'
            && buffer[i] == '\n') {
          headerEnd = i + 1;
          break;
        }
      }
    }
    String headers = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1);
    if (!headers.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException(headers);
    }
    int cl = headers.toLowerCase().indexOf("content-length:");
    int eol = headers.indexOf("\r\n", cl);
    int contentLength = Integer.parseInt(headers.substring(cl + 15, eol).trim());
    int remaining = headerEnd + contentLength - length;
    while (remaining > 0) {
      int r = in.read(buffer, 0, Math.min(buffer.length, remaining));
      remaining -= r;
    }
  }

  static byte[] signed(int port, byte[] body) {
    SdkHttpRequest.Builder builder =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://127.0.0.1:" + port + "/endpoints/bench/invocations"))
            .putHeader("Content-Type", "text/csv")
            .putHeader("Content-Length", String.valueOf(body.length));
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create("AK", "SK"))
                        .request(builder.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(Instant.now(), ZoneOffset.UTC)))
            .request();
    StringBuilder sb = new StringBuilder("POST /endpoints/bench/invocations HTTP/1.1\r\n");
    Map<String, List<String>> headers = new TreeMap<>(signed.headers());
    headers.putIfAbsent("Host", List.of("127.0.0.1:" + port));
    headers.forEach((k, v) -> sb.append(k).append(": ").append(String.join(",", v)).append("\r\n"));
    sb.append("\r\n").append(new String(body, StandardCharsets.UTF_8));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
