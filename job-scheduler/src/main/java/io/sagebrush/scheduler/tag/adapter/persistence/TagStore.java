package io.sagebrush.scheduler.tag.adapter.persistence;

import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads and writes {@code resource_tag}; methods run in the caller's transaction. */
public class TagStore {
  private final JdbcTemplate jdbc;

  public TagStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Adds or overwrites by key. */
  public void put(String arn, List<Tag> tags) {
    for (Tag t : tags) {
      jdbc.update(
          "INSERT INTO resource_tag (resource_arn, tag_key, tag_value) VALUES (?, ?, ?)"
              + " ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = EXCLUDED.tag_value",
          arn,
          t.key(),
          t.value() == null ? "" : t.value());
    }
  }

  /** Tags of a resource by key, {@code limit} from {@code offset}. */
  public List<Tag> list(String arn, long offset, int limit) {
    return jdbc.query(
        "SELECT tag_key, tag_value FROM resource_tag WHERE resource_arn = ? ORDER BY tag_key"
            + " OFFSET ? LIMIT ?",
        (rs, i) -> new Tag(rs.getString(1), rs.getString(2)),
        arn,
        offset,
        limit);
  }

  /** Keys the resource has. */
  public List<String> keys(String arn) {
    return jdbc.queryForList(
        "SELECT tag_key FROM resource_tag WHERE resource_arn = ?", String.class, arn);
  }

  public void delete(String arn, List<String> keys) {
    for (String k : keys) {
      jdbc.update("DELETE FROM resource_tag WHERE resource_arn = ? AND tag_key = ?", arn, k);
    }
  }
}
