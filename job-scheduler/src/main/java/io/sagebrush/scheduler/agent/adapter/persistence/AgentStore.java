package io.sagebrush.scheduler.agent.adapter.persistence;

import io.sagebrush.scheduler.agent.domain.RegisteredAgent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads and writes {@code sched_agent}. Methods run in the caller's transaction. */
public class AgentStore {
  private static final String SELECT =
      "SELECT id, name, cpus, memory_mb, gpu_indices, runtime, registered_at, last_heartbeat,"
          + " lost, restarted FROM sched_agent";

  private final JdbcTemplate jdbc;

  public AgentStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the agent, or updates a known id's capacity, clears its lost flag and marks it
   * restarted (so its tasks get checked against what it reports running).
   *
   * @return true when the id was known
   */
  public boolean upsert(
      String id,
      String name,
      int cpus,
      long memoryMb,
      List<Integer> gpuIndices,
      String gpusJson,
      String runtime,
      String version,
      Instant now) {
    int updated =
        jdbc.update(
            "UPDATE sched_agent SET name = ?, cpus = ?, memory_mb = ?, gpu_indices = ?, gpus_json = ?,"
                + " runtime = ?, agent_version = ?, registered_at = ?, last_heartbeat = ?, lost = FALSE,"
                + " restarted = TRUE, version = version + 1 WHERE id = ?",
            name,
            cpus,
            memoryMb,
            join(gpuIndices),
            gpusJson,
            runtime,
            version,
            Timestamp.from(now),
            Timestamp.from(now),
            id);
    if (updated > 0) {
      return true;
    }
    jdbc.update(
        "INSERT INTO sched_agent (id, name, cpus, memory_mb, gpu_indices, gpus_json, runtime,"
            + " agent_version, registered_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        name,
        cpus,
        memoryMb,
        join(gpuIndices),
        gpusJson,
        runtime,
        version,
        Timestamp.from(now),
        Timestamp.from(now));
    return false;
  }

  public Optional<RegisteredAgent> find(String id) {
    return jdbc.query(SELECT + " WHERE id = ?", AgentStore::agent, id).stream().findFirst();
  }

  /** Agents not declared lost, by id. */
  public List<RegisteredAgent> live() {
    return jdbc.query(SELECT + " WHERE NOT lost ORDER BY id", AgentStore::agent);
  }

  /** Records a poll (an agent declared lost stays lost until it registers again). */
  public void heartbeat(String id, Instant now) {
    jdbc.update(
        "UPDATE sched_agent SET last_heartbeat = ? WHERE id = ? AND NOT lost",
        Timestamp.from(now),
        id);
  }

  /** The restarted agent's tasks all check out: stop checking. */
  public void clearRestarted(String id) {
    jdbc.update("UPDATE sched_agent SET restarted = FALSE WHERE id = ?", id);
  }

  /**
   * Declares the agent lost when it still has not polled since {@code silentSince}
   * (compare-and-set: a poll in between wins).
   *
   * @return true when this call declared it lost
   */
  public boolean markLost(String id, Instant lastHeartbeatSeen) {
    return jdbc.update(
            "UPDATE sched_agent SET lost = TRUE, version = version + 1 WHERE id = ? AND NOT lost"
                + " AND last_heartbeat = ?",
            id,
            Timestamp.from(lastHeartbeatSeen))
        > 0;
  }

  /** Live agents whose last poll is before {@code cutoff}. */
  public List<RegisteredAgent> silentSince(Instant cutoff) {
    return jdbc.query(
        SELECT + " WHERE NOT lost AND last_heartbeat < ? ORDER BY id",
        AgentStore::agent,
        Timestamp.from(cutoff));
  }

  private static RegisteredAgent agent(ResultSet rs, int row) throws SQLException {
    return new RegisteredAgent(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getLong(4),
        parse(rs.getString(5)),
        rs.getString(6),
        rs.getTimestamp(7).toInstant(),
        rs.getTimestamp(8).toInstant(),
        rs.getBoolean(9),
        rs.getBoolean(10));
  }

  private static String join(List<Integer> ints) {
    return ints.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static List<Integer> parse(String s) {
    if (s == null || s.isBlank()) {
      return List.of();
    }
    return Arrays.stream(s.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }
}
