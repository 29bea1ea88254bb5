package io.sagebrush.scheduler.endpoint.service;

import io.sagebrush.protocol.RoutingTable;
import io.sagebrush.protocol.RoutingTable.EndpointRoute;
import io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore;
import io.sagebrush.scheduler.endpoint.domain.Endpoint;
import io.sagebrush.scheduler.endpoint.domain.Fleet;
import io.sagebrush.scheduler.endpoint.domain.Replica;
import io.sagebrush.scheduler.endpoint.domain.Routes;
import io.sagebrush.scheduler.leader.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The routing table from the database. Its version is a counter row bumped in the transaction of
 * every change gateways must see, so it increases across control-plane replicas sharing the
 * database; a change made in this process wakes waiters at once (the store fires {@code changed}
 * after commit), one made by another replica within {@code recheck}.
 */
public class DefaultRoutingTableService implements RoutingTableService {
  private final TransactionTemplate tx;
  private final TransactionTemplate snapshot;
  private final EndpointStore store;
  private final Signal changed;
  private final Duration recheck;
  private volatile RoutingTable cached = RoutingTable.empty();

  public DefaultRoutingTableService(
      TransactionTemplate tx, EndpointStore store, Signal changed, Duration recheck) {
    this.tx = tx;
    // The table is read in one snapshot: version, endpoints, fleets and replicas as of one moment.
    this.snapshot = new TransactionTemplate(tx.getTransactionManager());
    this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    this.snapshot.setReadOnly(true);
    this.store = store;
    this.changed = changed;
    this.recheck = recheck;
  }

  @Override
  public RoutingTable current() {
    RoutingTable c = cached;
    long version = tx.execute(s -> store.routingVersion());
    if (c.version() == version && version != 0) {
      return c;
    }
    RoutingTable built = snapshot.execute(s -> build());
    synchronized (this) {
      if (built.version() >= cached.version()) {
        cached = built;
      }
    }
    return built;
  }

  /**
   * Runs in one REPEATABLE READ transaction, so the version and every row come from the same
   * snapshot (no change committed between two of its statements tears the table).
   */
  private RoutingTable build() {
    long version = store.routingVersion();
    Map<Long, List<Fleet>> fleets = store.allFleets();
    Map<Long, List<Replica>> ready = store.readyReplicas();
    List<EndpointRoute> routes = new ArrayList<>();
    for (Endpoint e : store.all()) {
      routes.add(
          new EndpointRoute(
              e.name(),
              e.arn(),
              e.status().wireName(),
              Routes.of(
                  e,
                  fleets.getOrDefault(e.id(), List.of()),
                  ready.getOrDefault(e.id(), List.of()))));
    }
    return new RoutingTable(version, List.copyOf(routes));
  }

  @Override
  public RoutingTable awaitNewer(long afterVersion, Duration maxWait) throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
    while (true) {
      long seen = changed.generation();
      if (cached.version() > afterVersion) {
        return cached;
      }
      long version = tx.execute(s -> store.routingVersion());
      if (version > afterVersion) {
        return current();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      changed.await(seen, Duration.ofNanos(Math.min(left, recheck.toNanos())));
    }
  }
}
