package io.sagebrush.gateway.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebrush.gateway.GatewayConfig;
import io.sagebrush.gateway.InferenceGateway;
import io.sagebrush.gateway.routing.RoutingTableHolder;
import io.sagebrush.protocol.RoutingTable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The gateway alone with a static routing table, for {@code bench/gateway_overhead.py}: endpoint
 * {@code bench}, one variant {@code AllTraffic} with one replica. Not a test.
 *
 * <p>Arguments, {@code --name value}: {@code --replica} (base URL, required), {@code --port}
 * (default 0), {@code --access-key}/{@code --secret-key} (required), {@code --io-threads} (default
 * 0: one per processor), {@code --cert}/{@code --key} (PEM pair: HTTPS; without them plain HTTP).
 * Prints {@code LISTENING <port>} once it listens and runs until killed.
 */
public final class GatewayBenchServer {
  private GatewayBenchServer() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs: " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    String replica = required(options, "replica");
    RoutingTableHolder routes =
        new RoutingTableHolder(
            new RoutingTable(
                1,
                List.of(
                    new RoutingTable.EndpointRoute(
                        "bench",
                        "arn:aws:sagemaker:us-east-1:000000000000:endpoint/bench",
                        "InService",
                        List.of(
                            new RoutingTable.VariantRoute(
                                "AllTraffic",
                                "f1",
                                1,
                                List.of(new RoutingTable.ReplicaRoute("r1", replica))))))));
    GatewayConfig.Builder config =
        GatewayConfig.builder()
            .bindAddress(options.getOrDefault("bind", "127.0.0.1"))
            .port(Integer.parseInt(options.getOrDefault("port", "0")))
            .credentials(required(options, "access-key"), required(options, "secret-key"))
            .ioThreads(Integer.parseInt(options.getOrDefault("io-threads", "0")));
    if (options.containsKey("cert")) {
      config.tlsEnabled(true).pem(Path.of(options.get("cert")), Path.of(required(options, "key")));
    } else {
      config.tlsEnabled(false);
    }
    InferenceGateway gateway =
        InferenceGateway.start(config.build(), routes, new SimpleMeterRegistry());
    System.out.println("LISTENING " + gateway.port());
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return value;
  }
}
