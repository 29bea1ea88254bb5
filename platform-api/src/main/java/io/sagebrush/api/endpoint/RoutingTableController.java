package io.sagebrush.api.endpoint;

import io.sagebrush.protocol.GatewayProtocol;
import io.sagebrush.protocol.RoutingTable;
import io.sagebrush.scheduler.endpoint.service.RoutingTableService;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.WebAsyncTask;

/**
 * The routing-table feed inference gateways follow ({@link GatewayProtocol}): a held GET answers as
 * soon as a newer table exists, else 204 after the wait. The agent bearer token is checked by the
 * authentication filter. Waits are held on their own small pool, off the request threads.
 */
@RestController
public class RoutingTableController {
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final RoutingTableService routing;
  private final ThreadPoolTaskExecutor waiters;

  public RoutingTableController(RoutingTableService routing) {
    this.routing = routing;
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setThreadNamePrefix("routing-watch-");
    executor.setCorePoolSize(2);
    executor.setMaxPoolSize(256);
    executor.setQueueCapacity(0);
    executor.setWaitForTasksToCompleteOnShutdown(false);
    executor.initialize();
    this.waiters = executor;
  }

  @GetMapping(GatewayProtocol.ROUTING_TABLE)
  public WebAsyncTask<ResponseEntity<RoutingTable>> routingTable(
      @RequestParam(name = GatewayProtocol.AFTER_PARAM, defaultValue = "-1") long after,
      @RequestParam(name = GatewayProtocol.WAIT_PARAM, defaultValue = "20000") long waitMillis) {
    Duration wait = Duration.ofMillis(Math.max(0, Math.min(waitMillis, MAX_WAIT.toMillis())));
    WebAsyncTask<ResponseEntity<RoutingTable>> task =
        new WebAsyncTask<>(
            wait.plusSeconds(10).toMillis(),
            waiters,
            () -> {
              RoutingTable current = routing.current();
              // newer than the caller's, or older: the control plane restarted with lower
              // versions, so the caller must take the current table now rather than wait
              if (current.version() != after) {
                return ResponseEntity.ok(current);
              }
              RoutingTable newer = routing.awaitNewer(after, wait);
              return newer == null
                  ? ResponseEntity.noContent().<RoutingTable>build()
                  : ResponseEntity.ok(newer);
            });
    task.onTimeout(() -> ResponseEntity.noContent().build());
    return task;
  }

  @PreDestroy
  void shutdown() {
    waiters.shutdown();
  }
}
