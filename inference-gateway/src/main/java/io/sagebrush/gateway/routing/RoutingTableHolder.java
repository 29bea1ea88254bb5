package io.sagebrush.gateway.routing;

import io.sagebrush.protocol.RoutingTable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A routing table source whose table is set by its owner (an embedding server or a test). */
public final class RoutingTableHolder implements RoutingTableSource {
  private final List<Consumer<RoutingTable>> listeners = new CopyOnWriteArrayList<>();
  private volatile RoutingTable current;

  public RoutingTableHolder() {
    this(RoutingTable.empty());
  }

  public RoutingTableHolder(RoutingTable initial) {
    this.current = Objects.requireNonNull(initial);
  }

  @Override
  public RoutingTable current() {
    return current;
  }

  /** Replaces the table and tells every subscriber, in the calling thread. */
  public synchronized void set(RoutingTable table) {
    current = Objects.requireNonNull(table);
    for (Consumer<RoutingTable> listener : listeners) {
      listener.accept(table);
    }
  }

  @Override
  public synchronized Subscription subscribe(Consumer<RoutingTable> listener) {
    listeners.add(listener);
    listener.accept(current);
    return () -> listeners.remove(listener);
  }
}
