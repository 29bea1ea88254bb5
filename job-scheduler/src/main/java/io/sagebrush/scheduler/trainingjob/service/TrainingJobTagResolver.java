package io.sagebrush.scheduler.trainingjob.service;

import io.sagebrush.scheduler.tag.service.TagResolver;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import org.springframework.transaction.support.TransactionTemplate;

/** Training jobs can carry tags. */
public class TrainingJobTagResolver implements TagResolver {
  private final TransactionTemplate tx;
  private final TrainingJobStore store;

  public TrainingJobTagResolver(TransactionTemplate tx, TrainingJobStore store) {
    this.tx = tx;
    this.store = store;
  }

  @Override
  public String resourceType() {
    return "training-job";
  }

  @Override
  public boolean exists(String arn) {
    return Boolean.TRUE.equals(tx.execute(s -> store.existsByArn(arn)));
  }
}
