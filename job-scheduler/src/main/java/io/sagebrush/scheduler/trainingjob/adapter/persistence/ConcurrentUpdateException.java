package io.sagebrush.scheduler.trainingjob.adapter.persistence;

/** A compare-and-set write lost a race: reload and decide again. */
public class ConcurrentUpdateException extends RuntimeException {
  public ConcurrentUpdateException(String message) {
    super(message);
  }
}
