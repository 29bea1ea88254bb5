package io.sagebrush.scheduler.trainingjob.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.scheduler.trainingjob.domain.HistoryEntry;
import io.sagebrush.scheduler.trainingjob.domain.MetricValue;
import io.sagebrush.scheduler.trainingjob.domain.SecondaryStatus;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJob;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobSpec;
import io.sagebrush.scheduler.trainingjob.domain.TrainingJobState;
import io.sagebrush.scheduler.trainingjob.domain.TrainingTask;
import jakarta.persistence.EntityManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Loads and stores training jobs and their tasks. Every method must run inside a transaction.
 * {@link #save} is compare-and-set on the row version and throws {@link ConcurrentUpdateException}
 * (or JPA's optimistic lock exception at flush) when another writer came first.
 */
public class TrainingJobStore {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final EntityManager em;
  private final TrainingJobRepository jobs;
  private final JdbcTemplate jdbc;

  public TrainingJobStore(EntityManager em, TrainingJobRepository jobs, JdbcTemplate jdbc) {
    this.em = em;
    this.jobs = jobs;
    this.jdbc = jdbc;
  }

  /** Inserts a new job with its first history entries; returns the stored job. */
  public TrainingJob insert(TrainingJob job) {
    TrainingJobEntity e = new TrainingJobEntity();
    e.name = job.name();
    e.nameLower = job.name().toLowerCase(Locale.ROOT);
    e.arn = job.arn();
    e.specJson = write(job.spec());
    e.modelArtifactUri = job.modelArtifactUri();
    e.creationTime = job.creationTime();
    copy(job, e);
    try {
      em.persist(e);
      em.flush();
    } catch (jakarta.persistence.PersistenceException ex) {
      if (ex instanceof org.hibernate.exception.ConstraintViolationException
          || ex.getCause() instanceof org.hibernate.exception.ConstraintViolationException) {
        throw new DataIntegrityViolationException("training job " + job.name() + " exists", ex);
      }
      throw ex;
    }
    appendHistory(e.id, job.newEntries());
    return toDomain(e);
  }

  /**
   * Writes the job's state if the row still has the version the job was loaded at, and appends its
   * new history entries.
   *
   * @throws ConcurrentUpdateException when the row changed since
   */
  public TrainingJob save(TrainingJob job) {
    TrainingJobEntity e = em.find(TrainingJobEntity.class, job.id());
    if (e == null || e.version != job.version()) {
      throw new ConcurrentUpdateException("training job " + job.name() + " changed concurrently");
    }
    copy(job, e);
    em.flush();
    appendHistory(e.id, job.newEntries());
    // Keep the persistence context small: later flushes in a long placement batch would
    // otherwise dirty-check every job written before.
    em.detach(e);
    return toDomain(e);
  }

  /**
   * Writes many jobs compare-and-set in JDBC batches (the placer's path) and appends their new
   * history entries.
   *
   * @throws ConcurrentUpdateException when any row changed since its job was loaded
   */
  public void saveAll(List<TrainingJob> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>();
    List<Object[]> history = new ArrayList<>();
    for (TrainingJob j : batch) {
      rows.add(
          new Object[] {
            j.state().name(),
            j.state().status().name(),
            j.secondaryStatus().name(),
            j.stopCause() == null ? null : j.stopCause().name(),
            j.failureReason(),
            j.waitingFor(),
            ts(j.trainingStartTime()),
            ts(j.trainingEndTime()),
            ts(j.lastModifiedTime()),
            ts(j.stateSince()),
            j.placementAttempts(),
            j.id(),
            j.version()
          });
      for (HistoryEntry h : j.newEntries()) {
        history.add(
            new Object[] {
              j.id(),
              h.state().name(),
              h.secondaryStatus().name(),
              h.reason(),
              h.message(),
              Timestamp.from(h.time())
            });
      }
    }
    int[] counts =
        jdbc.batchUpdate(
            "UPDATE training_job SET state = ?, status = ?, secondary_status = ?, stop_cause = ?,"
                + " failure_reason = ?, waiting_for = ?, training_start_time = ?,"
                + " training_end_time = ?, last_modified_time = ?, state_since = ?,"
                + " placement_attempts = ?, version = version + 1 WHERE id = ? AND version = ?",
            rows);
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        throw new ConcurrentUpdateException(
            "training job " + batch.get(i).name() + " changed concurrently");
      }
    }
    if (!history.isEmpty()) {
      jdbc.batchUpdate(
          "INSERT INTO training_job_transition (job_id, state, secondary_status, reason, message, at)"
              + " VALUES (?, ?, ?, ?, ?, ?)",
          history);
    }
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  /** Inserts many tasks in one JDBC batch. */
  public void insertTasks(List<TrainingTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>();
    for (TrainingTask t : tasks) {
      rows.add(
          new Object[] {
            t.id(),
            t.jobId(),
            t.agentId(),
            t.cpus(),
            t.memoryMb(),
            joinInts(t.gpuIndices()),
            write(t.assignment()),
            Timestamp.from(t.createdAt())
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO training_task (id, job_id, agent_id, cpus, memory_mb, gpu_indices,"
            + " assignment_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows);
  }

  private void copy(TrainingJob job, TrainingJobEntity e) {
    e.state = job.state();
    e.status = job.state().status();
    e.secondaryStatus = job.secondaryStatus();
    e.stopCause = job.stopCause();
    e.failureReason = job.failureReason();
    e.waitingFor = job.waitingFor();
    e.trainingStartTime = job.trainingStartTime();
    e.trainingEndTime = job.trainingEndTime();
    e.lastModifiedTime = job.lastModifiedTime();
    e.stateSince = job.stateSince();
    e.placementAttempts = job.placementAttempts();
  }

  private void appendHistory(long jobId, List<HistoryEntry> entries) {
    for (HistoryEntry h : entries) {
      jdbc.update(
          "INSERT INTO training_job_transition (job_id, state, secondary_status, reason, message, at)"
              + " VALUES (?, ?, ?, ?, ?, ?)",
          jobId,
          h.state().name(),
          h.secondaryStatus().name(),
          h.reason(),
          h.message(),
          Timestamp.from(h.time()));
    }
  }

  /**
   * Removes the job with its history, tasks, metrics and tags, if the row still has the version the
   * job was loaded at.
   *
   * @throws ConcurrentUpdateException when the row changed since
   */
  public void delete(TrainingJob job) {
    TrainingJobEntity e = em.find(TrainingJobEntity.class, job.id());
    if (e == null || e.version != job.version()) {
      throw new ConcurrentUpdateException("training job " + job.name() + " changed concurrently");
    }
    em.detach(e);
    jdbc.update("DELETE FROM training_job_metric WHERE job_id = ?", job.id());
    jdbc.update("DELETE FROM training_job_transition WHERE job_id = ?", job.id());
    jdbc.update("DELETE FROM training_task WHERE job_id = ?", job.id());
    jdbc.update("DELETE FROM resource_tag WHERE resource_arn = ?", job.arn());
    int n =
        jdbc.update(
            "DELETE FROM training_job WHERE id = ? AND version = ?", job.id(), job.version());
    if (n == 0) {
      throw new ConcurrentUpdateException("training job " + job.name() + " changed concurrently");
    }
  }

  public Optional<TrainingJob> findByName(String name) {
    return jobs.findByNameLower(name.toLowerCase(Locale.ROOT)).map(this::toDomain);
  }

  public Optional<TrainingJob> findByArn(String arn) {
    return jobs.findByArn(arn).map(this::toDomain);
  }

  public boolean existsByArn(String arn) {
    Integer n =
        jdbc.queryForObject("SELECT count(*) FROM training_job WHERE arn = ?", Integer.class, arn);
    return n != null && n > 0;
  }

  /** The job with this id. */
  public Optional<TrainingJob> find(long id) {
    return Optional.ofNullable(em.find(TrainingJobEntity.class, id)).map(this::toDomain);
  }

  /**
   * One page of a listing.
   *
   * @param where SQL conditions joined with AND (columns of training_job), may be empty
   * @param params their parameters in order
   * @param orderBy the ORDER BY list, ending in a unique column so the order is total
   */
  @SuppressWarnings("unchecked")
  public List<TrainingJob> list(
      List<String> where, List<Object> params, String orderBy, long offset, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM training_job");
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY ").append(orderBy).append(" OFFSET ").append(offset);
    sql.append(" LIMIT ").append(limit);
    jakarta.persistence.Query q = em.createNativeQuery(sql.toString(), TrainingJobEntity.class);
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
    List<TrainingJobEntity> rows = q.getResultList();
    return rows.stream().map(this::toDomain).toList();
  }

  public List<TrainingJob> findAll(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<Long, TrainingJob> byId = new HashMap<>();
    for (TrainingJobEntity e : jobs.findByIdIn(ids)) {
      byId.put(e.id, toDomain(e));
    }
    List<TrainingJob> out = new ArrayList<>();
    for (Long id : ids) {
      if (byId.containsKey(id)) {
        out.add(byId.get(id));
      }
    }
    return out;
  }

  /**
   * Claims up to {@code limit} queued jobs in arrival order after the keyset {@code (afterCreation,
   * afterId)} (null: from the start), skipping rows another transaction holds (FOR UPDATE SKIP
   * LOCKED); the rows stay locked until this transaction ends.
   */
  public List<Long> claimQueued(Instant afterCreation, long afterId, int limit) {
    if (afterCreation == null) {
      return jdbc.queryForList(
          "SELECT id FROM training_job WHERE state = 'QUEUED' ORDER BY creation_time, id"
              + " LIMIT ? FOR UPDATE SKIP LOCKED",
          Long.class,
          limit);
    }
    return jdbc.queryForList(
        "SELECT id FROM training_job WHERE state = 'QUEUED' AND (creation_time, id) > (?, ?)"
            + " ORDER BY creation_time, id LIMIT ? FOR UPDATE SKIP LOCKED",
        Long.class,
        Timestamp.from(afterCreation),
        afterId,
        limit);
  }

  /** Ids of jobs that are neither queued nor ended (what the deadline reconciler looks at). */
  public List<Long> liveNotQueued() {
    return jdbc.queryForList(
        "SELECT id FROM training_job WHERE state NOT IN ('COMPLETED', 'FAILED', 'STOPPED', 'QUEUED')"
            + " ORDER BY id",
        Long.class);
  }

  /** The job's history, oldest first. */
  public List<HistoryEntry> history(long jobId) {
    return jdbc.query(
        "SELECT state, secondary_status, reason, message, at FROM training_job_transition"
            + " WHERE job_id = ? ORDER BY id",
        (rs, i) ->
            new HistoryEntry(
                TrainingJobState.valueOf(rs.getString(1)),
                SecondaryStatus.valueOf(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant()),
        jobId);
  }

  /** Final metric values, by name. */
  public List<MetricValue> metrics(long jobId) {
    return jdbc.query(
        "SELECT metric_name, value, at FROM training_job_metric WHERE job_id = ? ORDER BY metric_name",
        (rs, i) ->
            new MetricValue(rs.getString(1), rs.getDouble(2), rs.getTimestamp(3).toInstant()),
        jobId);
  }

  /** Keeps the newest value per metric (an older timestamp does not overwrite a newer one). */
  public void upsertMetric(long jobId, String name, double value, Instant at) {
    jdbc.update(
        "INSERT INTO training_job_metric (job_id, metric_name, value, at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (job_id, metric_name) DO UPDATE SET value = EXCLUDED.value, at = EXCLUDED.at"
            + " WHERE training_job_metric.at <= EXCLUDED.at",
        jobId,
        name,
        value,
        Timestamp.from(at));
  }

  // ---- tasks ----

  public void insertTask(TrainingTask t) {
    jdbc.update(
        "INSERT INTO training_task (id, job_id, agent_id, cpus, memory_mb, gpu_indices,"
            + " assignment_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        t.id(),
        t.jobId(),
        t.agentId(),
        t.cpus(),
        t.memoryMb(),
        joinInts(t.gpuIndices()),
        write(t.assignment()),
        Timestamp.from(t.createdAt()));
  }

  public Optional<TrainingTask> findTask(String taskId) {
    return jdbc.query(TASK_SELECT + " WHERE id = ?", this::task, taskId).stream().findFirst();
  }

  /** The job's task that has not ended, if any. */
  public Optional<TrainingTask> liveTaskOf(long jobId) {
    return jdbc.query(TASK_SELECT + " WHERE job_id = ? AND NOT ended", this::task, jobId).stream()
        .findFirst();
  }

  /** Live tasks on an agent, oldest first. */
  public List<TrainingTask> liveTasksOn(String agentId) {
    return jdbc.query(
        TASK_SELECT + " WHERE agent_id = ? AND NOT ended ORDER BY created_at, id",
        this::task,
        agentId);
  }

  /** Which of these task ids exist and have not ended. */
  public List<String> liveTaskIds(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.queryForList(
        "SELECT id FROM training_task WHERE NOT ended AND NOT stop_requested AND id = ANY (?)",
        String.class,
        (Object) ids.toArray(new String[0]));
  }

  /**
   * Reserved vCPUs, memory and GPU indices per agent, from live tasks: training tasks and serving
   * replicas share the agents' capacity.
   */
  public Map<String, Usage> usageByAgent() {
    Map<String, Usage> out = new HashMap<>();
    jdbc.query(
        "SELECT agent_id, sum(cpus), sum(memory_mb), string_agg(gpu_indices, ',') FROM ("
            + " SELECT agent_id, cpus, memory_mb, gpu_indices FROM training_task WHERE NOT ended"
            + " UNION ALL SELECT agent_id, cpus, memory_mb, gpu_indices FROM sched_serving_replica"
            + " WHERE NOT ended) live GROUP BY agent_id",
        rs -> {
          out.put(
              rs.getString(1),
              new Usage(rs.getDouble(2), rs.getLong(3), parseInts(rs.getString(4))));
        });
    return out;
  }

  /**
   * Serializes placements (the training placer and the fleet reconciler) until the transaction
   * ends, so two placers never hand out the same capacity.
   */
  public void lockCapacity() {
    jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> {}, CAPACITY_LOCK);
  }

  /** Advisory lock key for {@link #lockCapacity()}. */
  public static final long CAPACITY_LOCK = 5424862L;

  /** What live tasks reserve on one agent. */
  public record Usage(double cpus, long memoryMb, List<Integer> gpus) {}

  public void acknowledge(String taskId) {
    jdbc.update(
        "UPDATE training_task SET acknowledged = TRUE, missing_polls = 0 WHERE id = ? AND NOT acknowledged",
        taskId);
  }

  public void requestTaskStop(String taskId) {
    jdbc.update("UPDATE training_task SET stop_requested = TRUE WHERE id = ?", taskId);
  }

  public void endTask(String taskId) {
    jdbc.update("UPDATE training_task SET ended = TRUE WHERE id = ?", taskId);
  }

  public void setMissingPolls(String taskId, int missing) {
    jdbc.update("UPDATE training_task SET missing_polls = ? WHERE id = ?", missing, taskId);
  }

  private static final String TASK_SELECT =
      "SELECT id, job_id, agent_id, cpus, memory_mb, gpu_indices, assignment_json, created_at,"
          + " acknowledged, stop_requested, ended, missing_polls FROM training_task";

  private TrainingTask task(ResultSet rs, int row) throws SQLException {
    return new TrainingTask(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getDouble(4),
        rs.getLong(5),
        parseInts(rs.getString(6)),
        read(rs.getString(7), TaskAssignment.class),
        rs.getTimestamp(8).toInstant(),
        rs.getBoolean(9),
        rs.getBoolean(10),
        rs.getBoolean(11),
        rs.getInt(12));
  }

  // ---- mapping ----

  TrainingJob toDomain(TrainingJobEntity e) {
    return new TrainingJob(
        e.id,
        e.name,
        e.arn,
        read(e.specJson, TrainingJobSpec.class),
        e.state,
        e.secondaryStatus,
        e.stopCause,
        e.failureReason,
        e.waitingFor,
        e.creationTime,
        e.trainingStartTime,
        e.trainingEndTime,
        e.lastModifiedTime,
        e.stateSince,
        e.placementAttempts,
        e.version);
  }

  /** Serializes a record as JSON text. */
  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), ex);
    }
  }

  /** Reads a record from JSON text. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot read stored " + type.getSimpleName(), ex);
    }
  }

  static String joinInts(List<Integer> ints) {
    return ints.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  static List<Integer> parseInts(String s) {
    if (s == null || s.isBlank()) {
      return List.of();
    }
    return Arrays.stream(s.split(","))
        .map(String::trim)
        .filter(x -> !x.isEmpty())
        .map(Integer::valueOf)
        .toList();
  }
}
