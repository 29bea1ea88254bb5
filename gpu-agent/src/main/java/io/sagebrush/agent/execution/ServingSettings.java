package io.sagebrush.agent.execution;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the agent publishes and watches serving replicas.
 *
 * @param advertiseHost the host in READY addresses: what gateways use to reach this agent
 * @param bindAddress the local address replica ports are published on ({@code 0.0.0.0} = all)
 * @param startupPingInterval time between pings until the first 200
 * @param pingInterval time between pings once ready
 * @param pingTimeout how long one ping may take (SageMaker: 2 s)
 * @param unhealthyThreshold failed pings in a row that fail a ready replica
 * @param logTailLines how many of the container's last log lines a failure reason quotes
 */
public record ServingSettings(
    String advertiseHost,
    String bindAddress,
    Duration startupPingInterval,
    Duration pingInterval,
    Duration pingTimeout,
    int unhealthyThreshold,
    int logTailLines) {

  public ServingSettings {
    Objects.requireNonNull(advertiseHost, "advertiseHost");
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (unhealthyThreshold < 1) {
      throw new IllegalArgumentException("unhealthyThreshold must be at least 1");
    }
  }

  /** The SageMaker-like defaults: ping every 200 ms while starting, then every 5 s; 2 s; 3. */
  public static ServingSettings of(String advertiseHost, String bindAddress) {
    return new ServingSettings(
        advertiseHost,
        bindAddress,
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        3,
        5);
  }

  /** A copy pinging every {@code interval} once ready (tests shorten it). */
  public ServingSettings withPingInterval(Duration interval) {
    return new ServingSettings(
        advertiseHost,
        bindAddress,
        startupPingInterval,
        interval,
        pingTimeout,
        unhealthyThreshold,
        logTailLines);
  }

  /** The base URL gateways reach a replica published on {@code port} at. */
  public String address(int port) {
    return "http://" + uriHost(advertiseHost) + ":" + port;
  }

  /**
   * The base URL the agent pings a replica at: the bind address, or loopback when it is the
   * wildcard.
   */
  public URI pingUrl(InetSocketAddress published) {
    String host = published.getHostString();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + uriHost(host) + ":" + published.getPort());
  }

  private static String uriHost(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
