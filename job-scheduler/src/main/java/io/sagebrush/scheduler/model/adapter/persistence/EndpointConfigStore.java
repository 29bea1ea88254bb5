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
  private final NamedResourceTable rows;

  public EndpointConfigStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.rows = new NamedResourceTable(jdbc, "sched_endpoint_config");
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
    return rows.findByName(name, EndpointConfigStore::row);
  }

  public boolean existsByArn(String arn) {
    return rows.existsByArn(arn);
  }

  /** Deletes the config and its tags; false when there was none. */
  public boolean delete(String name) {
    return rows.delete(name);
  }

  /** One page; see {@link ModelStore#list}. */
  public List<EndpointConfig> list(
      List<String> where, List<Object> params, String orderBy, long offset, int limit) {
    return rows.list(where, params, orderBy, offset, limit, EndpointConfigStore::row);
  }

  private static EndpointConfig row(ResultSet rs, int i) throws SQLException {
    return new EndpointConfig(
        rs.getString("name"),
        rs.getString("arn"),
        rs.getString("echo_json"),
        rs.getTimestamp("creation_time").toInstant());
  }
}
