package io.sagebrush.scheduler.trainingjob.adapter.persistence;

import java.util.function.Supplier;
import org.springframework.dao.OptimisticLockingFailureException;

/** Runs a load-decide-write step again when its compare-and-set write lost a race. */
public final class CasRetry {
  private static final int ATTEMPTS = 8;

  private CasRetry() {}

  /** Runs {@code step} (a whole transaction) until it commits, at most 8 times. */
  public static <T> T run(Supplier<T> step) {
    RuntimeException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      try {
        return step.get();
      } catch (ConcurrentUpdateException
          | OptimisticLockingFailureException
          | jakarta.persistence.OptimisticLockException e) {
        last = e;
        Thread.onSpinWait();
      }
    }
    throw last;
  }
}
