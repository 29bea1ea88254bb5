package io.sagebrush.scheduler.model.adapter.persistence;

import io.sagebrush.scheduler.model.domain.Model;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Models in table sched_model; callers hold the transaction. */
public class ModelStore {
  private final JdbcTemplate jdbc;
  private final NamedResourceTable rows;

  public ModelStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.rows = new NamedResourceTable(jdbc, "sched_model");
  }

  public void insert(Model m) {
    jdbc.update(
        "INSERT INTO sched_model (name, name_lower, arn, execution_role_arn,"
            + " primary_container_json, containers_json, enable_network_isolation, creation_time)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        m.name(),
        m.name().toLowerCase(Locale.ROOT),
        m.arn(),
        m.executionRoleArn(),
        m.primaryContainerJson(),
        m.containersJson(),
        m.enableNetworkIsolation(),
        Timestamp.from(m.creationTime()));
  }

  public Optional<Model> findByName(String name) {
    return rows.findByName(name, ModelStore::row);
  }

  public boolean existsByArn(String arn) {
    return rows.existsByArn(arn);
  }

  /** Deletes the model and its tags; false when there was none. */
  public boolean delete(String name) {
    return rows.delete(name);
  }

  /**
   * One page of a listing.
   *
   * @param where SQL conditions joined with AND, may be empty
   * @param orderBy the ORDER BY list, ending in a unique column so the order is total
   */
  public List<Model> list(
      List<String> where, List<Object> params, String orderBy, long offset, int limit) {
    return rows.list(where, params, orderBy, offset, limit, ModelStore::row);
  }

  private static Model row(ResultSet rs, int i) throws SQLException {
    return new Model(
        rs.getString("name"),
        rs.getString("arn"),
        rs.getString("execution_role_arn"),
        rs.getString("primary_container_json"),
        rs.getString("containers_json"),
        rs.getBoolean("enable_network_isolation"),
        rs.getTimestamp("creation_time").toInstant());
  }
}
