package io.sagebrush.gateway.routing;

import io.sagebrush.protocol.RoutingTable;
import java.util.function.Consumer;

/**
 * Where a gateway gets its routing table: followed from the control plane ({@link
 * ControlPlaneRoutingTableSource}) or set directly ({@link RoutingTableHolder}, for an embedding
 * server or a test). The request path only reads the gateway's compiled copy, never the source.
 */
public interface RoutingTableSource {

  /** The newest table known (an empty table before the first arrives); never null. */
  RoutingTable current();

  /**
   * Calls {@code listener} at once with the current table, then with every table that replaces it,
   * one call at a time and in order.
   *
   * @return closing it stops the calls
   */
  Subscription subscribe(Consumer<RoutingTable> listener);

  /** An active subscription. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
