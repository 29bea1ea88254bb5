package io.sagebrush.api.health;

import io.sagebrush.artifacts.adapter.s3.ArtifactStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** UP when the S3 store answers. */
@Component("storageHealthIndicator")
public class StorageHealthIndicator implements HealthIndicator {
  private final ArtifactStore store;

  public StorageHealthIndicator(ArtifactStore store) {
    this.store = store;
  }

  @Override
  public Health health() {
    return store.isReachable() ? Health.up().build() : Health.down().build();
  }
}
