package io.sagebrush.scheduler.trainingjob.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
import io.sagebrush.scheduler.agent.service.AgentSignals;
import io.sagebrush.scheduler.common.Listing;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.placement.service.Placer;
import io.sagebrush.scheduler.tag.service.DefaultTagService;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.CasRetry;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.TrainingJobStore;
import io.sagebrush.scheduler.trainingjob.domain.StopCause;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJob;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobQuery;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobSpec;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobView;
import io.sagebrush.scheduler.trainingjob.domain.TrainingTask;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/** The training-job use cases on PostgreSQL. */
public class DefaultTrainingJobService implements TrainingJobService {
  static final String NOT_FOUND = "Requested resource not found.";

  private final TransactionTemplate tx;
  private final TrainingJobStore store;
  private final AgentStore agents;
  private final DefaultTagService tags;
  private final InstanceCatalogue catalogue;
  private final Arns arns;
  private final Clock clock;
  private final Placer placer;
  private final AgentSignals signals;

  public DefaultTrainingJobService(
      TransactionTemplate tx,
      TrainingJobStore store,
      AgentStore agents,
      DefaultTagService tags,
      InstanceCatalogue catalogue,
      Arns arns,
      Clock clock,
      Placer placer,
      AgentSignals signals) {
    this.tx = tx;
    this.store = store;
    this.agents = agents;
    this.tags = tags;
    this.catalogue = catalogue;
    this.arns = arns;
    this.clock = clock;
    this.placer = placer;
    this.signals = signals;
  }

  /**
   * Creates a job.
   *
   * <ol>
   *   <li>Check what only the scheduler knows: the instance type, and that a multi-host job has a
   *       docker agent unless no agent is registered yet.
   *   <li>In one transaction: refuse a duplicate name, insert the job (QUEUED) and its tags.
   *   <li>Nudge the placer.
   * </ol>
   */
  @Override
  public TrainingJobView create(TrainingJobSpec spec) {
    if (catalogue.find(spec.instanceType()).isEmpty()) {
      throw SagebrushException.constraint(
          "resourceConfig.instanceType",
          spec.instanceType(),
          "Member must be an instance type this server knows (configure more with"
              + " sagebrush.scheduler.instance-types.extra)");
    }
    if (spec.instanceCount() < 1) {
      throw SagebrushException.constraint(
          "resourceConfig.instanceCount",
          spec.instanceCount(),
          "Member must have value greater than or equal to 1");
    }
    if (spec.instanceCount() > 1) {
      List<RegisteredAgent> live = tx.execute(s -> agents.live());
      if (!live.isEmpty()
          && live.stream().noneMatch(a -> AgentRegistration.RUNTIME_DOCKER.equals(a.runtime()))) {
        throw SagebrushException.validation(
            "resourceConfig.instanceCount: InstanceCount "
                + spec.instanceCount()
                + " needs an agent with the docker runtime (hosts algo-1..N share a network);"
                + " every registered agent uses the process runtime, which runs one host only.");
      }
    }
    String arn = arns.trainingJob(spec.name());
    TrainingJobView view;
    try {
      view =
          tx.execute(
              s -> {
                Optional<TrainingJob> existing = store.findByName(spec.name());
                if (existing.isPresent()) {
                  throw duplicate(existing.get().arn());
                }
                TrainingJob job = TrainingJob.submit(spec, arn, clock.instant());
                TrainingJob stored = store.insert(job);
                tags.putAtCreation(arn, spec.tags());
                return stored.view(store.history(stored.id()), List.of());
              });
    } catch (DataIntegrityViolationException e) {
      // A concurrent create of the same name won the unique index.
      Optional<TrainingJob> winner = tx.execute(s -> store.findByName(spec.name()));
      if (winner != null && winner.isPresent()) {
        throw duplicate(winner.get().arn());
      }
      throw e;
    }
    placer.nudge();
    return view;
  }

  private static SagebrushException duplicate(String arn) {
    return SagebrushException.inUse(
        "Training job names must be unique within an AWS account and region, and a training job"
            + " with this name already exists ("
            + arn
            + ")");
  }

  /** The job of that name (none for a null name). */
  private Optional<TrainingJob> byName(String name) {
    return store.findByName(name == null ? "" : name);
  }

  @Override
  public TrainingJobView describe(String name) {
    return tx.execute(
        s -> {
          TrainingJob job = byName(name).orElseThrow(() -> SagebrushException.notFound(NOT_FOUND));
          return job.view(store.history(job.id()), store.metrics(job.id()));
        });
  }

  @Override
  public Page<TrainingJobView> list(TrainingJobQuery q) {
    return Listing.of(
            "training",
            q.maxResults(),
            q.sortBy(),
            Listing.BY_NAME_CREATION_TIME_OR_STATUS,
            q.sortOrder(),
            SortOrder.Ascending)
        .nameContains(q.nameContains())
        .statusEquals(q.statusEquals())
        .time("creation_time > ?", q.creationTimeAfter())
        .time("creation_time < ?", q.creationTimeBefore())
        .time("last_modified_time > ?", q.lastModifiedTimeAfter())
        .time("last_modified_time < ?", q.lastModifiedTimeBefore())
        .page(
            q.nextToken(),
            (where, params, orderBy, offset, limit) ->
                tx.execute(s -> store.list(where, params, orderBy, offset, limit)),
            j -> j.view(List.of(), List.of()));
  }

  @Override
  public void delete(String name) {
    CasRetry.run(
        () ->
            tx.execute(
                s -> {
                  TrainingJob job =
                      byName(name)
                          .orElseThrow(
                              () ->
                                  new SagebrushException(ErrorCode.RESOURCE_NOT_FOUND, NOT_FOUND));
                  if (!job.state().terminal()) {
                    throw SagebrushException.inUse(
                        "Training job "
                            + job.name()
                            + " is in status "
                            + job.state().status()
                            + "; only a job that has ended (Completed, Failed or Stopped) can be"
                            + " deleted.");
                  }
                  if (store.liveTaskOf(job.id()).isPresent()) {
                    throw SagebrushException.inUse(
                        "Training job "
                            + job.name()
                            + " has ended, but its agent is still finishing its task. Try again"
                            + " shortly.");
                  }
                  store.delete(job);
                  return null;
                }));
  }

  /**
   * Stops a job: a queued job (or one whose agent has not taken its task yet) is Stopped at once; a
   * running one goes Stopping and its agent gets a stop order; a Stopping one is left alone.
   */
  @Override
  public void stop(String name) {
    String wake =
        CasRetry.run(
            () ->
                tx.execute(
                    s -> {
                      TrainingJob job =
                          byName(name).orElseThrow(() -> SagebrushException.notFound(NOT_FOUND));
                      if (job.state().terminal()) {
                        throw SagebrushException.validation(
                            "The request was rejected because the training job is in status "
                                + job.state().status()
                                + ".");
                      }
                      Instant now = clock.instant();
                      TrainingJob.StopOutcome outcome =
                          job.requestStop(StopCause.USER, "Stop requested by the user", now);
                      if (outcome != TrainingJob.StopOutcome.STOP_ORDER_NEEDED) {
                        store.save(job);
                        return null;
                      }
                      Optional<TrainingTask> task = store.liveTaskOf(job.id());
                      if (task.isPresent() && !task.get().acknowledged()) {
                        job.stopped(false, "Training job stopped before its agent started it", now);
                      }
                      store.save(job);
                      if (task.isEmpty()) {
                        return null;
                      }
                      store.requestTaskStop(task.get().id());
                      if (job.state().terminal()) {
                        store.endTask(task.get().id());
                      }
                      return task.get().agentId();
                    }));
    if (wake != null) {
      signals.wake(wake);
      placer.nudge();
    }
  }
}
