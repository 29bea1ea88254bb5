package io.sagebrush.api.rest;

import io.sagebrush.api.config.RestProperties;
import io.sagebrush.api.trainingjob.TrainingJobRequestValidator;
import io.sagebrush.scheduler.logs.domain.LogQuery;
import io.sagebrush.scheduler.logs.domain.StoredLogEvent;
import io.sagebrush.scheduler.logs.service.LogStore;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobStatus;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;
import io.sagebrush.scheduler.trainingjob.service.TrainingJobService;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a training job's log events as server-sent events, polling the log store while the job
 * runs. One small scheduler serves every follower; each poll reads only events after the last one
 * sent.
 */
@Component
public class LogFollower {
  private static final Logger log = LoggerFactory.getLogger(LogFollower.class);
  private static final int BATCH = 1000;
  private final TrainingJobService jobs;
  private final LogStore store;
  private final RestProperties properties;
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "log-follower");
            t.setDaemon(true);
            return t;
          });

  public LogFollower(TrainingJobService jobs, LogStore store, RestProperties properties) {
    this.jobs = jobs;
    this.store = store;
    this.properties = properties;
  }

  /** Starts streaming. The job must exist (else the usual ValidationException before any event). */
  public SseEmitter follow(String name, boolean follow, Long startTime, Long lastEventId) {
    TrainingJobRequestValidator.validateName("trainingJobName", name);
    TrainingJobView job = jobs.describe(name);
    String prefix = job.spec().name() + "/";
    SseEmitter emitter = new SseEmitter(properties.logFollowTimeout().toMillis());
    State state = new State(prefix, startTime, lastEventId == null ? 0 : lastEventId);
    AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();
    Runnable poll =
        () -> {
          try {
            if (state.done) {
              cancel(future);
              return;
            }
            boolean terminal = terminal(name);
            drain(state, emitter);
            if (!follow || terminal) {
              finish(state, emitter, name);
              cancel(future);
            }
          } catch (IOException | IllegalStateException e) {
            // the client went away
            state.done = true;
            cancel(future);
          } catch (RuntimeException e) {
            log.warn("following logs of {} failed: {}", name, e.toString());
            state.done = true;
            emitter.completeWithError(e);
            cancel(future);
          }
        };
    emitter.onCompletion(
        () -> {
          state.done = true;
          cancel(future);
        });
    emitter.onTimeout(
        () -> {
          state.done = true;
          cancel(future);
          emitter.complete();
        });
    emitter.onError(
        t -> {
          state.done = true;
          cancel(future);
        });
    long interval = Math.max(50, properties.logPollInterval().toMillis());
    future.set(scheduler.scheduleWithFixedDelay(poll, 0, interval, TimeUnit.MILLISECONDS));
    return emitter;
  }

  private boolean terminal(String name) {
    TrainingJobStatus status = jobs.describe(name).status();
    return status == TrainingJobStatus.Completed
        || status == TrainingJobStatus.Failed
        || status == TrainingJobStatus.Stopped;
  }

  private void drain(State state, SseEmitter emitter) throws IOException {
    while (true) {
      List<StoredLogEvent> events =
          store.events(
              new LogQuery(
                  io.sagebrush.scheduler.logs.service.LogStore.TRAINING_JOBS_GROUP,
                  null,
                  state.prefix,
                  state.startTime,
                  null,
                  state.lastId,
                  null,
                  true,
                  null,
                  BATCH));
      for (StoredLogEvent e : events) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("logStreamName", e.stream());
        data.put("timestamp", e.timestamp());
        data.put("message", e.message());
        emitter.send(
            SseEmitter.event()
                .name("log")
                .id(String.valueOf(e.id()))
                .data(data, MediaType.APPLICATION_JSON));
        state.lastId = e.id();
      }
      if (events.size() < BATCH) {
        return;
      }
    }
  }

  private void finish(State state, SseEmitter emitter, String name) throws IOException {
    if (state.done) {
      return;
    }
    state.done = true;
    TrainingJobView view = jobs.describe(name);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("TrainingJobStatus", view.status().name());
    data.put("SecondaryStatus", view.secondaryStatus().name());
    emitter.send(SseEmitter.event().name("end").data(data, MediaType.APPLICATION_JSON));
    emitter.complete();
  }

  private static void cancel(AtomicReference<ScheduledFuture<?>> future) {
    ScheduledFuture<?> f = future.get();
    if (f != null) {
      f.cancel(false);
    }
  }

  @PreDestroy
  void shutdown() {
    scheduler.shutdownNow();
  }

  private static final class State {
    final String prefix;
    final Long startTime;
    volatile long lastId;
    volatile boolean done;

    State(String prefix, Long startTime, long lastId) {
      this.prefix = prefix;
      this.startTime = startTime;
      this.lastId = lastId;
    }
  }
}
