package io.sagebrush.api.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagebrush.protocol.RoutingTable;
import io.sagebrush.scheduler.endpoint.service.RoutingTableService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

class RoutingTableControllerTest {

  /** A service at a fixed version that never gets a newer table. */
  static RoutingTableService at(long version) {
    RoutingTable table = new RoutingTable(version, List.of());
    return new RoutingTableService() {
      @Override
      public RoutingTable current() {
        return table;
      }

      @Override
      public RoutingTable awaitNewer(long afterVersion, Duration maxWait)
          throws InterruptedException {
        Thread.sleep(maxWait.toMillis());
        return null;
      }
    };
  }

  @SuppressWarnings("unchecked")
  static ResponseEntity<RoutingTable> call(RoutingTableController controller, long after, long wait)
      throws Exception {
    return (ResponseEntity<RoutingTable>) controller.routingTable(after, wait).getCallable().call();
  }

  @Test
  void aGatewayAheadOfARestartedControlPlaneGetsTheCurrentTableAtOnce() throws Exception {
    RoutingTableController controller = new RoutingTableController(at(3));
    try {
      long started = System.nanoTime();
      ResponseEntity<RoutingTable> answer = call(controller, 41, 20_000);
      assertThat(answer.getStatusCode().value()).isEqualTo(200);
      assertThat(answer.getBody().version()).isEqualTo(3);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    } finally {
      controller.shutdown();
    }
  }

  @Test
  void aGatewayUpToDateWaitsAndGetsNoContent() throws Exception {
    RoutingTableController controller = new RoutingTableController(at(3));
    try {
      ResponseEntity<RoutingTable> answer = call(controller, 3, 50);
      assertThat(answer.getStatusCode().value()).isEqualTo(204);
    } finally {
      controller.shutdown();
    }
  }
}
