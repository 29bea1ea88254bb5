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

  public ModelStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
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
    return jdbc
        .query(
            "SELECT * FROM sched_model WHERE name_lower = ?",
            ModelStore::row,
            name.toLowerCase(Locale.ROOT))
        .stream()
        .findFirst();
  }

  public boolean existsByArn(String arn) {
    Integer n =
        jdbc.queryForObject("SELECT count(*) FROM sched_model WHERE arn = ?", Integer.class, arn);
    return n != null && n > 0;
  }

  /** Deletes the model and its tags; false when there was none. */
  public boolean delete(String name) {
    List<String> arns =
        jdbc.queryForList(
            "DELETE FROM sched_model WHERE name_lower = ? RETURNING arn",
            String.class,
            name.toLowerCase(Locale.ROOT));
    for (String arn : arns) {
      jdbc.update("DELETE FROM resource_tag WHERE resource_arn = ?", arn);
    }
    return !arns.isEmpty();
  }

  /**
   * One page of a listing.
   *
   * @param where SQL conditions joined with AND, may be empty
   * @param orderBy the ORDER BY list, ending in a unique column so the order is total
   */
  public List<Model> list(
      List<String> where, List<Object> params, String orderBy, long offset, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM sched_model");
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
    return jdbc.query(sql.toString(), ModelStore::row, args);
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
