package io.sagebrush.scheduler.model.adapter.persistence;

import io.sagebrush.scheduler.model.domain.EndpointConfig;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Endpoint configs in table sched_endpoint_config; callers hold the transaction. */
public class EndpointConfigStore {
  private final JdbcTemplate jdbc;

  public EndpointConfigStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(EndpointConfig c) {
    jdbc.update(
        "INSERT INTO sched_endpoint_config (name, name_lower, arn, echo_json, creation_time)"
            + " VALUES (?, ?, ?, ?, ?)",
        c.name(),
        c.name().toLowerCase(Locale.ROOT),
        c.arn(),
        c.echoJson(),
        Timestamp.from(c.creationTime()));
  }

  public Optional<EndpointConfig> findByName(String name) {
    return jdbc
        .query(
            "SELECT * FROM sched_endpoint_config WHERE name_lower = ?",
            EndpointConfigStore::row,
            name.toLowerCase(Locale.ROOT))
        .stream()
        .findFirst();
  }

  public boolean existsByArn(String arn) {
    Integer n =
        jdbc.queryForObject(
            "SELECT count(*) FROM sched_endpoint_config WHERE arn = ?", Integer.class, arn);
    return n != null && n > 0;
  }

  /** Deletes the config and its tags; false when there was none. */
  public boolean delete(String name) {
    List<String> arns =
        jdbc.queryForList(
            "DELETE FROM sched_endpoint_config WHERE name_lower = ? RETURNING arn",
            String.class,
            name.toLowerCase(Locale.ROOT));
    for (String arn : arns) {
      jdbc.update("DELETE FROM resource_tag WHERE resource_arn = ?", arn);
    }
    return !arns.isEmpty();
  }

  /** One page; see {@link ModelStore#list}. */
  public List<EndpointConfig> list(
      List<String> where, List<Object> params, String orderBy, long offset, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM sched_endpoint_config");
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
    return jdbc.query(sql.toString(), EndpointConfigStore::row, args);
  }

  private static EndpointConfig row(ResultSet rs, int i) throws SQLException {
    return new EndpointConfig(
        rs.getString("name"),
        rs.getString("arn"),
        rs.getString("echo_json"),
        rs.getTimestamp("creation_time").toInstant());
  }
}
