package io.sagebrush.scheduler.model.service;

import io.sagebrush.scheduler.model.adapter.persistence.EndpointConfigStore;
import io.sagebrush.scheduler.tag.service.TagResolver;
import org.springframework.transaction.support.TransactionTemplate;

/** Endpoint configs can carry tags. */
public class EndpointConfigTagResolver implements TagResolver {
  private final TransactionTemplate tx;
  private final EndpointConfigStore store;

  public EndpointConfigTagResolver(TransactionTemplate tx, EndpointConfigStore store) {
    this.tx = tx;
    this.store = store;
  }

  @Override
  public String resourceType() {
    return "endpoint-config";
  }

  @Override
  public boolean exists(String arn) {
    return Boolean.TRUE.equals(tx.execute(s -> store.existsByArn(arn)));
  }
}
