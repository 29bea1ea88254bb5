package io.sagebrush.protocol;

/**
 * How gateways follow the routing table: {@code GET /gateway/v1/routing-table?after=<version>} with
 * {@code Authorization: Bearer <agent token>} answers 200 with a {@link RoutingTable} as soon as
 * the control plane has one newer than {@code after} (at once for {@code after=-1}), or 204 after
 * up to {@code wait} milliseconds without a change. Gateways publish their per-variant metrics with
 * {@code POST /gateway/v1/metrics} (a {@link MetricBatch} as JSON, same token), answered 204.
 */
public final class GatewayProtocol {
  public static final String ROUTING_TABLE = "/gateway/v1/routing-table";
  public static final String METRICS = "/gateway/v1/metrics";
  public static final String AFTER_PARAM = "after";
  public static final String WAIT_PARAM = "waitMillis";

  private GatewayProtocol() {}
}
