package io.sagebrush.scheduler.endpoint.service;

import io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore;
import io.sagebrush.scheduler.tag.service.TagResolver;
import org.springframework.transaction.support.TransactionTemplate;

/** Endpoints can carry tags. */
public class EndpointTagResolver implements TagResolver {
  private final TransactionTemplate tx;
  private final EndpointStore store;

  public EndpointTagResolver(TransactionTemplate tx, EndpointStore store) {
    this.tx = tx;
    this.store = store;
  }

  @Override
  public String resourceType() {
    return "endpoint";
  }

  @Override
  public boolean exists(String arn) {
    return Boolean.TRUE.equals(tx.execute(s -> store.existsByArn(arn)));
  }
}
