package io.sagebrush.scheduler.endpoint.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.protocol.TaskAssignment;
import io.sagebrush.scheduler.endpoint.domain.DeploymentPolicy;
import io.sagebrush.scheduler.endpoint.domain.Endpoint;
import io.sagebrush.scheduler.endpoint.domain.EndpointStatus;
import io.sagebrush.scheduler.endpoint.domain.Fleet;
import io.sagebrush.scheduler.endpoint.domain.Replica;
import io.sagebrush.scheduler.endpoint.domain.ReplicaState;
import io.sagebrush.scheduler.endpoint.domain.ServingTask;
import io.sagebrush.scheduler.endpoint.domain.UpdatePhase;
import io.sagebrush.scheduler.leader.Signal;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.ConcurrentUpdateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Endpoints ({@code sched_endpoint}), fleets ({@code sched_endpoint_fleet}), serving replicas
 * ({@code sched_serving_replica}) and the routing version. Every method runs in the caller's
 * transaction. Writers lock the endpoint row first ({@link #lock}), so the reconciler, the API and
 * agent reports touching one endpoint run one after another; {@link #save} is also compare-and-set
 * on the row version.
 */
public class EndpointStore {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final JdbcTemplate jdbc;
  private final Signal routingChanged;

  public EndpointStore(JdbcTemplate jdbc, Signal routingChanged) {
    this.jdbc = jdbc;
    this.routingChanged = routingChanged;
  }

  // ---- endpoints ----

  /** Inserts a new endpoint; returns its id. */
  public long insert(Endpoint e) {
    Long id =
        jdbc.queryForObject(
            "INSERT INTO sched_endpoint (name, name_lower, arn, config_name, status, failure_reason,"
                + " deployment_config_json, update_policy_json, current_generation, creation_time,"
                + " last_modified_time, status_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " RETURNING id",
            Long.class,
            e.name(),
            e.name().toLowerCase(Locale.ROOT),
            e.arn(),
            e.configName(),
            e.status().name(),
            e.failureReason(),
            e.deploymentConfigJson(),
            e.updatePolicy() == null ? null : write(e.updatePolicy()),
            e.currentGeneration(),
            ts(e.creationTime()),
            ts(e.lastModifiedTime()),
            ts(e.statusSince()));
    return id;
  }

  /** The endpoint, its row locked until the transaction ends. */
  public Optional<Endpoint> lock(long id) {
    return jdbc.query(SELECT + " WHERE id = ? FOR UPDATE", this::endpoint, id).stream().findFirst();
  }

  /** The endpoint as committed, without a lock. */
  public Optional<Endpoint> find(long id) {
    return jdbc.query(SELECT + " WHERE id = ?", this::endpoint, id).stream().findFirst();
  }

  /** The endpoint by name (any case), its row locked until the transaction ends. */
  public Optional<Endpoint> lockByName(String name) {
    return jdbc
        .query(
            SELECT + " WHERE name_lower = ? FOR UPDATE",
            this::endpoint,
            name.toLowerCase(Locale.ROOT))
        .stream()
        .findFirst();
  }

  public Optional<Endpoint> findByName(String name) {
    return jdbc
        .query(SELECT + " WHERE name_lower = ?", this::endpoint, name.toLowerCase(Locale.ROOT))
        .stream()
        .findFirst();
  }

  public boolean existsByArn(String arn) {
    Integer n =
        jdbc.queryForObject(
            "SELECT count(*) FROM sched_endpoint WHERE arn = ?", Integer.class, arn);
    return n != null && n > 0;
  }

  /** Every endpoint id, oldest first. */
  public List<Long> ids() {
    return jdbc.queryForList("SELECT id FROM sched_endpoint ORDER BY id", Long.class);
  }

  /** Every endpoint, oldest first. */
  public List<Endpoint> all() {
    return jdbc.query(SELECT + " ORDER BY id", this::endpoint);
  }

  /**
   * Writes the endpoint's state if its row still has the version it was loaded at.
   *
   * @throws ConcurrentUpdateException when the row changed since
   */
  public void save(Endpoint e) {
    int n =
        jdbc.update(
            "UPDATE sched_endpoint SET config_name = ?, status = ?, failure_reason = ?,"
                + " deployment_config_json = ?, current_generation = ?, target_generation = ?,"
                + " pending_config_name = ?, update_policy_json = ?, update_started_at = ?,"
                + " update_phase = ?, update_step = ?, phase_since = ?, traffic_shift = ?,"
                + " last_modified_time = ?, status_since = ?, rollback_generation = ?,"
                + " version = version + 1 WHERE id = ? AND version = ?",
            e.configName(),
            e.status().name(),
            truncate(e.failureReason(), 2048),
            e.deploymentConfigJson(),
            e.currentGeneration(),
            e.targetGeneration(),
            e.pendingConfigName(),
            e.updatePolicy() == null ? null : write(e.updatePolicy()),
            ts(e.updateStartedAt()),
            e.updatePhase() == null ? null : e.updatePhase().name(),
            e.updateStep(),
            ts(e.phaseSince()),
            e.trafficShift(),
            ts(e.lastModifiedTime()),
            ts(e.statusSince()),
            e.rollbackGeneration(),
            e.id(),
            e.version());
    if (n == 0) {
      throw new ConcurrentUpdateException("endpoint " + e.name() + " changed concurrently");
    }
  }

  /** Removes the endpoint with its fleets, replicas and tags. */
  public void delete(Endpoint e) {
    jdbc.update("DELETE FROM resource_tag WHERE resource_arn = ?", e.arn());
    jdbc.update("DELETE FROM sched_endpoint WHERE id = ?", e.id());
  }

  /**
   * One page of a listing.
   *
   * @param where SQL conditions joined with AND, may be empty
   * @param orderBy the ORDER BY list, ending in a unique column so the order is total
   */
  public List<Endpoint> list(
      List<String> where, List<Object> params, String orderBy, long offset, int limit) {
    StringBuilder sql = new StringBuilder(SELECT);
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY ").append(orderBy).append(" OFFSET ? LIMIT ?");
    Object[] args = new Object[params.size() + 2];
    for (int i = 0; i < params.size(); i++) {
      args[i] = params.get(i);
    }
    args[params.size()] = offset;
    args[params.size() + 1] = limit;
    return jdbc.query(sql.toString(), this::endpoint, args);
  }

  private static final String SELECT =
      "SELECT id, name, arn, config_name, status, failure_reason, deployment_config_json,"
          + " current_generation, target_generation, pending_config_name, update_policy_json,"
          + " update_started_at, update_phase, update_step, phase_since, traffic_shift,"
          + " creation_time, last_modified_time, status_since, version, rollback_generation"
          + " FROM sched_endpoint";

  private Endpoint endpoint(ResultSet rs, int row) throws SQLException {
    String policy = rs.getString(11);
    String phase = rs.getString(13);
    int target = rs.getInt(9);
    Integer targetGeneration = rs.wasNull() ? null : target;
    int abandoned = rs.getInt(21);
    Integer rollbackGeneration = rs.wasNull() ? null : abandoned;
    return new Endpoint(
            rs.getLong(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            EndpointStatus.valueOf(rs.getString(5)),
            rs.getString(6),
            rs.getString(7),
            rs.getInt(8),
            targetGeneration,
            rs.getString(10),
            policy == null ? null : read(policy, DeploymentPolicy.class),
            instant(rs, 12),
            phase == null ? null : UpdatePhase.valueOf(phase),
            rs.getInt(14),
            instant(rs, 15),
            rs.getDouble(16),
            instant(rs, 17),
            instant(rs, 18),
            instant(rs, 19),
            rs.getLong(20))
        .withRollbackGeneration(rollbackGeneration);
  }

  // ---- fleets ----

  public void insertFleet(long endpointId, Fleet f) {
    jdbc.update(
        "INSERT INTO sched_endpoint_fleet (endpoint_id, generation, variant_name, model_name, image,"
            + " model_data_url, environment_json, instance_type, desired_count, desired_weight,"
            + " current_weight, startup_timeout_seconds, download_timeout_seconds, created_at,"
            + " count_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        endpointId,
        f.generation(),
        f.variantName(),
        f.modelName(),
        f.image(),
        f.modelDataUrl(),
        write(f.environment()),
        f.instanceType(),
        f.desiredCount(),
        f.desiredWeight(),
        f.currentWeight(),
        f.startupTimeoutSeconds(),
        f.downloadTimeoutSeconds(),
        ts(f.createdAt()),
        f.countBefore());
  }

  /** Writes a fleet's desired count and weights. */
  public void updateFleet(long endpointId, Fleet f) {
    jdbc.update(
        "UPDATE sched_endpoint_fleet SET desired_count = ?, desired_weight = ?, current_weight = ?,"
            + " waiting_since = ?, waiting_for = ?, count_before = ?"
            + " WHERE endpoint_id = ? AND generation = ? AND variant_name = ?",
        f.desiredCount(),
        f.desiredWeight(),
        f.currentWeight(),
        ts(f.waitingSince()),
        f.waitingFor(),
        f.countBefore(),
        endpointId,
        f.generation(),
        f.variantName());
  }

  /** Records that the fleet waits for capacity (keeps the first time), or clears it (null). */
  public void setWaiting(long endpointId, Fleet f, String waitingFor, Instant now) {
    if (waitingFor == null) {
      jdbc.update(
          "UPDATE sched_endpoint_fleet SET waiting_since = NULL, waiting_for = NULL"
              + " WHERE endpoint_id = ? AND generation = ? AND variant_name = ?"
              + " AND waiting_since IS NOT NULL",
          endpointId,
          f.generation(),
          f.variantName());
    } else {
      jdbc.update(
          "UPDATE sched_endpoint_fleet SET waiting_since = coalesce(waiting_since, ?),"
              + " waiting_for = ? WHERE endpoint_id = ? AND generation = ? AND variant_name = ?",
          ts(now),
          truncate(waitingFor, 1024),
          endpointId,
          f.generation(),
          f.variantName());
    }
  }

  /** The highest fleet generation the endpoint ever had (fleets or replicas left of it). */
  public int maxGeneration(long endpointId) {
    Integer g =
        jdbc.queryForObject(
            "SELECT greatest((SELECT max(generation) FROM sched_endpoint_fleet WHERE endpoint_id = ?),"
                + " (SELECT max(generation) FROM sched_serving_replica WHERE endpoint_id = ?),"
                + " (SELECT current_generation FROM sched_endpoint WHERE id = ?))",
            Integer.class,
            endpointId,
            endpointId,
            endpointId);
    return g == null ? 0 : g;
  }

  public void deleteFleets(long endpointId, int generation) {
    jdbc.update(
        "DELETE FROM sched_endpoint_fleet WHERE endpoint_id = ? AND generation = ?",
        endpointId,
        generation);
  }

  public List<Fleet> fleets(long endpointId) {
    return jdbc.query(
        "SELECT generation, variant_name, model_name, image, model_data_url, environment_json,"
            + " instance_type, desired_count, desired_weight, current_weight,"
            + " startup_timeout_seconds, download_timeout_seconds, created_at, waiting_since,"
            + " waiting_for, count_before FROM sched_endpoint_fleet WHERE endpoint_id = ?"
            + " ORDER BY generation, variant_name",
        EndpointStore::fleet,
        endpointId);
  }

  /** Fleets of every endpoint, by endpoint id. */
  public Map<Long, List<Fleet>> allFleets() {
    return jdbc
        .query(
            "SELECT generation, variant_name, model_name, image, model_data_url, environment_json,"
                + " instance_type, desired_count, desired_weight, current_weight,"
                + " startup_timeout_seconds, download_timeout_seconds, created_at, waiting_since,"
                + " waiting_for, count_before, endpoint_id FROM sched_endpoint_fleet"
                + " ORDER BY endpoint_id, generation, variant_name",
            (rs, i) -> Map.entry(rs.getLong(17), fleet(rs, i)))
        .stream()
        .collect(
            Collectors.groupingBy(
                Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }

  private static Fleet fleet(ResultSet rs, int i) throws SQLException {
    return new Fleet(
        rs.getInt(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        read(rs.getString(6), new TypeReference<Map<String, String>>() {}),
        rs.getString(7),
        rs.getInt(8),
        rs.getDouble(9),
        rs.getDouble(10),
        rs.getInt(11),
        rs.getInt(12),
        instant(rs, 13),
        instant(rs, 14),
        rs.getString(15),
        countBefore(rs));
  }

  private static Integer countBefore(ResultSet rs) throws SQLException {
    int n = rs.getInt(16);
    return rs.wasNull() ? null : n;
  }

  // ---- replicas ----

  /** A new replica in STARTING. */
  public void insertReplica(
      long endpointId,
      String endpointName,
      Fleet f,
      String id,
      String agentId,
      double cpus,
      long memoryMb,
      List<Integer> gpus,
      TaskAssignment assignment,
      Instant now) {
    jdbc.update(
        "INSERT INTO sched_serving_replica (id, endpoint_id, endpoint_name, generation,"
            + " variant_name, agent_id, cpus, memory_mb, gpu_indices, assignment_json, state,"
            + " created_at, state_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        endpointId,
        endpointName,
        f.generation(),
        f.variantName(),
        agentId,
        cpus,
        memoryMb,
        gpus.stream().map(String::valueOf).collect(Collectors.joining(",")),
        write(assignment),
        ReplicaState.STARTING.name(),
        ts(now),
        ts(now));
  }

  /**
   * The endpoint's replicas that have not ended, plus its ended ones from the last {@code keep}
   * (failures the decider still reads).
   */
  public List<Replica> replicas(long endpointId, Instant endedAfter) {
    return jdbc.query(
        REPLICA_SELECT
            + " WHERE endpoint_id = ? AND (NOT ended OR state_since >= ?) ORDER BY created_at, id",
        EndpointStore::replica,
        endpointId,
        ts(endedAfter));
  }

  /** Ready replicas of every endpoint, by endpoint id. */
  public Map<Long, List<Replica>> readyReplicas() {
    return jdbc
        .query(
            REPLICA_SELECT + " WHERE state = 'READY' ORDER BY id",
            (rs, i) -> Map.entry(rs.getLong(13), replica(rs, i)))
        .stream()
        .collect(
            Collectors.groupingBy(
                Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }

  /** Forgets the ended replicas of every endpoint that ended before {@code before}. */
  public int purgeEnded(Instant before) {
    return jdbc.update(
        "DELETE FROM sched_serving_replica WHERE ended AND state_since < ?", ts(before));
  }

  private static final String REPLICA_SELECT =
      "SELECT id, generation, variant_name, agent_id, state, address, failure_reason,"
          + " acknowledged, created_at, ready_at, state_since, stop_at, endpoint_id"
          + " FROM sched_serving_replica";

  private static Replica replica(ResultSet rs, int i) throws SQLException {
    return new Replica(
        rs.getString(1),
        rs.getInt(2),
        rs.getString(3),
        rs.getString(4),
        ReplicaState.valueOf(rs.getString(5)),
        rs.getString(6),
        rs.getString(7),
        rs.getBoolean(8),
        instant(rs, 9),
        instant(rs, 10),
        instant(rs, 11),
        instant(rs, 12));
  }

  /** Moves a replica to {@code state}; ended and stop-requested follow from the state. */
  public void setState(String id, ReplicaState state, String failureReason, Instant now) {
    jdbc.update(
        "UPDATE sched_serving_replica SET state = ?, failure_reason = coalesce(?, failure_reason),"
            + " ended = ?, stop_requested = stop_requested OR ?, state_since = ? WHERE id = ?",
        state.name(),
        truncate(failureReason, 2048),
        state.ended(),
        state == ReplicaState.STOPPING,
        ts(now),
        id);
  }

  /** READY with the address gateways reach it at. */
  public void markReady(String id, String address, Instant now) {
    jdbc.update(
        "UPDATE sched_serving_replica SET state = 'READY', address = ?, ready_at = ?,"
            + " state_since = ? WHERE id = ?",
        address,
        ts(now),
        ts(now),
        id);
  }

  /** Sets a ready replica's address; true when it changed. */
  public boolean setAddress(String id, String address) {
    return jdbc.update(
            "UPDATE sched_serving_replica SET address = ? WHERE id = ?"
                + " AND address IS DISTINCT FROM ?",
            address,
            id,
            address)
        > 0;
  }

  /**
   * Fails a replica whose container may still run (the control plane gave up on it): FAILED with
   * the reason, a stop order out, and its capacity still held until the agent confirms the stop
   * ({@link #endReplica}) or {@link #endUnconfirmedFailures} gives up waiting.
   */
  public void failAndStop(String id, String failureReason, Instant now) {
    jdbc.update(
        "UPDATE sched_serving_replica SET state = 'FAILED', failure_reason = ?, ended = FALSE,"
            + " stop_requested = TRUE, state_since = ? WHERE id = ? AND NOT ended",
        truncate(failureReason, 2048),
        ts(now),
        id);
  }

  /** A failed replica's container is gone: its capacity is free. */
  public void endReplica(String id) {
    jdbc.update("UPDATE sched_serving_replica SET ended = TRUE WHERE id = ? AND NOT ended", id);
  }

  /**
   * Frees the capacity of failed replicas (of every endpoint) whose stop the agent did not confirm
   * since {@code before}.
   *
   * @return how many
   */
  public int endUnconfirmedFailures(Instant before) {
    return jdbc.update(
        "UPDATE sched_serving_replica SET ended = TRUE WHERE state = 'FAILED' AND NOT ended"
            + " AND state_since < ?",
        ts(before));
  }

  /** Out of the routing table now, stop order at {@code stopAt}. */
  public void drain(String id, Instant stopAt, Instant now) {
    jdbc.update(
        "UPDATE sched_serving_replica SET state = 'DRAINING', stop_at = ?, state_since = ?"
            + " WHERE id = ? AND NOT ended",
        ts(stopAt),
        ts(now),
        id);
  }

  // ---- serving tasks (agent protocol) ----

  public Optional<ServingTask> findTask(String id) {
    return jdbc.query(TASK_SELECT + " WHERE id = ?", EndpointStore::task, id).stream().findFirst();
  }

  /** Live serving tasks on an agent, oldest first. */
  public List<ServingTask> liveTasksOn(String agentId) {
    return jdbc.query(
        TASK_SELECT + " WHERE agent_id = ? AND NOT ended ORDER BY created_at, id",
        EndpointStore::task,
        agentId);
  }

  /** Which of these ids are serving tasks that should keep running. */
  public List<String> wantedTaskIds(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.queryForList(
        "SELECT id FROM sched_serving_replica WHERE NOT ended AND NOT stop_requested"
            + " AND id = ANY (?)",
        String.class,
        (Object) ids.toArray(new String[0]));
  }

  public void acknowledge(String id) {
    jdbc.update(
        "UPDATE sched_serving_replica SET acknowledged = TRUE, missing_polls = 0"
            + " WHERE id = ? AND NOT acknowledged",
        id);
  }

  public void setMissingPolls(String id, int missing) {
    jdbc.update("UPDATE sched_serving_replica SET missing_polls = ? WHERE id = ?", missing, id);
  }

  private static final String TASK_SELECT =
      "SELECT id, endpoint_id, endpoint_name, agent_id, state, assignment_json, acknowledged,"
          + " stop_requested, ended, created_at, missing_polls FROM sched_serving_replica";

  private static ServingTask task(ResultSet rs, int i) throws SQLException {
    return new ServingTask(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        ReplicaState.valueOf(rs.getString(5)),
        read(rs.getString(6), TaskAssignment.class),
        rs.getBoolean(7),
        rs.getBoolean(8),
        rs.getBoolean(9),
        instant(rs, 10),
        rs.getInt(11));
  }

  // ---- capacity and routing version ----

  /** The routing table's version as committed. */
  public long routingVersion() {
    Long v =
        jdbc.queryForObject("SELECT version FROM sched_routing_version WHERE id = 1", Long.class);
    return v == null ? 0 : v;
  }

  /**
   * Bumps the routing version in this transaction, once however often it is called, just before it
   * commits (so the version row is always the last lock a transaction takes and transactions
   * touching several endpoints cannot deadlock on it); local waiters are woken once it commits,
   * others see it on their next database check.
   */
  public void bumpRoutingVersion() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      jdbc.update("UPDATE sched_routing_version SET version = version + 1 WHERE id = 1");
      routingChanged.fire();
      return;
    }
    if (TransactionSynchronizationManager.hasResource(bumpKey)) {
      return;
    }
    TransactionSynchronizationManager.bindResource(bumpKey, Boolean.TRUE);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void beforeCommit(boolean readOnly) {
            jdbc.update("UPDATE sched_routing_version SET version = version + 1 WHERE id = 1");
          }

          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(bumpKey);
            if (status == STATUS_COMMITTED) {
              routingChanged.fire();
            }
          }
        });
  }

  /** Marks a transaction that already registered its routing version bump. */
  private final Object bumpKey = new Object();

  // ---- mapping ----

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), ex);
    }
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot read stored " + type.getSimpleName(), ex);
    }
  }

  static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot read stored value", ex);
    }
  }
}
