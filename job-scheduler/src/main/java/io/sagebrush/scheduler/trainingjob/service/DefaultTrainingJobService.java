package io.sagebrush.scheduler.trainingjob.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.AgentRegistration;
import io.sagebrush.scheduler.agent.adapter.persistence.AgentStore;
import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
import io.sagebrush.scheduler.agent.service.AgentSignals;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.PageToken;
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
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
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

  @Override
  public TrainingJobView describe(String name) {
    return tx.execute(
        s -> {
          TrainingJob job =
              store
                  .findByName(name == null ? "" : name)
                  .orElseThrow(() -> SagebrushException.notFound(NOT_FOUND));
          return job.view(store.history(job.id()), store.metrics(job.id()));
        });
  }

  @Override
  public Page<TrainingJobView> list(TrainingJobQuery q) {
    int limit = q.maxResults() <= 0 ? 10 : q.maxResults();
    if (limit > 100) {
      throw SagebrushException.constraint(
          "maxResults", limit, "Member must have value less than or equal to 100");
    }
    String sortBy = q.sortBy() == null ? "CreationTime" : q.sortBy();
    String column =
        switch (sortBy) {
          case "Name" -> "name";
          case "CreationTime" -> "creation_time";
          case "Status" -> "status";
          default ->
              throw SagebrushException.constraint(
                  "sortBy",
                  sortBy,
                  "Member must satisfy enum value set: [Name, CreationTime, Status]");
        };
    SortOrder order = q.sortOrder() == null ? SortOrder.Ascending : q.sortOrder();
    String dir = order == SortOrder.Ascending ? "ASC" : "DESC";
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (q.nameContains() != null && !q.nameContains().isEmpty()) {
      where.add("strpos(name_lower, ?) > 0");
      params.add(q.nameContains().toLowerCase(Locale.ROOT));
    }
    if (q.statusEquals() != null) {
      where.add("status = ?");
      params.add(q.statusEquals().name());
    }
    time(where, params, "creation_time > ?", q.creationTimeAfter());
    time(where, params, "creation_time < ?", q.creationTimeBefore());
    time(where, params, "last_modified_time > ?", q.lastModifiedTimeAfter());
    time(where, params, "last_modified_time < ?", q.lastModifiedTimeBefore());
    String fingerprint = "training|" + where + "|" + params + "|" + column + "|" + dir;
    OptionalLong offset = PageToken.decode(q.nextToken(), fingerprint);
    if (offset.isEmpty()) {
      throw SagebrushException.validation(
          "The NextToken is not valid for this request (it belongs to another query or is"
              + " malformed).");
    }
    String orderBy = column + " " + dir + ", id " + dir;
    return tx.execute(
        s -> {
          List<TrainingJob> rows =
              store.list(where, params, orderBy, offset.getAsLong(), limit + 1);
          List<TrainingJobView> views = new ArrayList<>();
          for (TrainingJob j : rows.subList(0, Math.min(limit, rows.size()))) {
            views.add(j.view(List.of(), List.of()));
          }
          String next =
              rows.size() > limit
                  ? PageToken.encode(offset.getAsLong() + limit, fingerprint)
                  : null;
          return new Page<>(List.copyOf(views), next);
        });
  }

  private static void time(List<String> where, List<Object> params, String cond, Instant t) {
    if (t != null) {
      where.add(cond);
      params.add(Timestamp.from(t));
    }
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
                          store
                              .findByName(name == null ? "" : name)
                              .orElseThrow(() -> SagebrushException.notFound(NOT_FOUND));
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
