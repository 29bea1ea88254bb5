package io.sagebrush.scheduler.endpoint.service;

import io.sagebrush.protocol.RoutingTable;
import java.time.Duration;

/** The routing table gateways follow (see {@code io.sagebrush.protocol.GatewayProtocol}). */
public interface RoutingTableService {

  /** The current table. */
  RoutingTable current();

  /**
   * Waits up to {@code maxWait} for a table newer than {@code afterVersion}.
   *
   * @return the newer table, or null when none came in time
   */
  RoutingTable awaitNewer(long afterVersion, Duration maxWait) throws InterruptedException;
}
