package io.sagebrush.scheduler.model.service;

import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.tag.service.TagResolver;
import org.springframework.transaction.support.TransactionTemplate;

/** Models can carry tags. */
public class ModelTagResolver implements TagResolver {
  private final TransactionTemplate tx;
  private final ModelStore store;

  public ModelTagResolver(TransactionTemplate tx, ModelStore store) {
    this.tx = tx;
    this.store = store;
  }

  @Override
  public String resourceType() {
    return "model";
  }

  @Override
  public boolean exists(String arn) {
    return Boolean.TRUE.equals(tx.execute(s -> store.existsByArn(arn)));
  }
}
