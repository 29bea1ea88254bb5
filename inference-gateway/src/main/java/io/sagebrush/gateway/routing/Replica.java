package io.sagebrush.gateway.routing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica as the gateway tracks it: where it listens, how many requests it has in flight
 * (across all event loops) and whether it recently refused a connection. The same object survives
 * table swaps while the replica stays in the table, so its counts carry over.
 */
public final class Replica {
  private final String replicaId;
  private final String url;
  private final InetSocketAddress address;
  private final String hostHeader;
  private final String invocationsPath;
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile long unhealthyUntilNanos;
  private volatile boolean retired;

  Replica(String replicaId, String url) {
    this.replicaId = replicaId;
    this.url = url;
    URI uri = URI.create(url);
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    // resolved here, on the thread that applies the table, never on the request path
    this.address = new InetSocketAddress(host, port);
    this.hostHeader = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    this.invocationsPath = path + "/invocations";
  }

  public String replicaId() {
    return replicaId;
  }

  public String url() {
    return url;
  }

  public InetSocketAddress address() {
    return address;
  }

  public String hostHeader() {
    return hostHeader;
  }

  public String invocationsPath() {
    return invocationsPath;
  }

  public int outstanding() {
    return outstanding.get();
  }

  public void requestStarted() {
    outstanding.incrementAndGet();
  }

  public void requestEnded() {
    outstanding.decrementAndGet();
  }

  /** Takes the replica out of the choice until {@code untilNanos} ({@link System#nanoTime()}). */
  public void markUnhealthy(long untilNanos) {
    unhealthyUntilNanos = untilNanos;
  }

  public boolean healthy(long nowNanos) {
    return nowNanos - unhealthyUntilNanos >= 0;
  }

  /** True once the replica has left the routing table: it gets no new requests. */
  public boolean retired() {
    return retired;
  }

  void retire() {
    retired = true;
  }

  @Override
  public String toString() {
    return replicaId + "@" + url;
  }
}
