package io.sagebrush.scheduler.model.adapter.persistence;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The statements every named-resource table ({@code name_lower} unique, {@code arn}, tags in {@code
 * resource_tag}) shares: lookup by name, existence by ARN, delete with tags, and one page of a
 * listing.
 */
final class NamedResourceTable {
  private final JdbcTemplate jdbc;
  private final String table;

  NamedResourceTable(JdbcTemplate jdbc, String table) {
    this.jdbc = jdbc;
    this.table = table;
  }

  /** The resource with that name, compared without case. */
  <T> Optional<T> findByName(String name, RowMapper<T> rows) {
    return jdbc
        .query(
            "SELECT * FROM " + table + " WHERE name_lower = ?", rows, name.toLowerCase(Locale.ROOT))
        .stream()
        .findFirst();
  }

  boolean existsByArn(String arn) {
    Integer n =
        jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE arn = ?", Integer.class, arn);
    return n != null && n > 0;
  }

  /** Deletes the resource and its tags; false when there was none. */
  boolean delete(String name) {
    List<String> arns =
        jdbc.queryForList(
            "DELETE FROM " + table + " WHERE name_lower = ? RETURNING arn",
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
  <T> List<T> list(
      List<String> where,
      List<Object> params,
      String orderBy,
      long offset,
      int limit,
      RowMapper<T> rows) {
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(table);
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
    return jdbc.query(sql.toString(), rows, args);
  }
}
