package io.sagebrush.scheduler.common;

import io.sagebrush.common.error.SagebrushException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One List* request turned into SQL pieces: the checked page size and sort column, the filters, and
 * the page window named by a {@link PageToken} bound to this query.
 *
 * <p>Use: {@link #of} checks MaxResults and SortBy, the filter methods add conditions in call
 * order, and {@link #page} checks NextToken, fetches one row more than the page and maps it.
 */
public final class Listing {
  /** SortBy values of listings that sort by name or creation time. */
  public static final Map<String, String> BY_NAME_OR_CREATION_TIME =
      sortColumns("Name", "name", "CreationTime", "creation_time");

  /** SortBy values of listings that also sort by status. */
  public static final Map<String, String> BY_NAME_CREATION_TIME_OR_STATUS =
      sortColumns("Name", "name", "CreationTime", "creation_time", "Status", "status");

  /** Reads one window of rows; a store's {@code list} method fits. */
  @FunctionalInterface
  public interface Rows<R> {
    /**
     * Rows matching all of {@code where}, ordered by {@code orderBy}, from offset, at most limit.
     */
    List<R> fetch(List<String> where, List<Object> params, String orderBy, long offset, int limit);
  }

  private final String kind;
  private final int limit;
  private final String column;
  private final String dir;
  private final List<String> where = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();

  private Listing(String kind, int limit, String column, String dir) {
    this.kind = kind;
    this.limit = limit;
    this.column = column;
    this.dir = dir;
  }

  /**
   * A listing of {@code kind} (which also keeps tokens of different resources apart).
   *
   * @param maxResults the page size; 0 or less means 10
   * @param sortBy a key of {@code sortColumns}; null means CreationTime
   * @param sortColumns SortBy values to columns, in the order the error message names them
   * @param order the sort order; null means {@code defaultOrder}
   * @throws SagebrushException a constraint error when maxResults is over 100 or sortBy unknown
   */
  public static Listing of(
      String kind,
      int maxResults,
      String sortBy,
      Map<String, String> sortColumns,
      SortOrder order,
      SortOrder defaultOrder) {
    int limit = maxResults <= 0 ? 10 : maxResults;
    if (limit > 100) {
      throw SagebrushException.constraint(
          "maxResults", limit, "Member must have value less than or equal to 100");
    }
    String by = sortBy == null ? "CreationTime" : sortBy;
    String column = sortColumns.get(by);
    if (column == null) {
      throw SagebrushException.constraint(
          "sortBy",
          by,
          "Member must satisfy enum value set: [" + String.join(", ", sortColumns.keySet()) + "]");
    }
    SortOrder effective = order == null ? defaultOrder : order;
    return new Listing(kind, limit, column, effective == SortOrder.Ascending ? "ASC" : "DESC");
  }

  /** Keeps rows whose name contains {@code text}, ignoring case; null or empty keeps all. */
  public Listing nameContains(String text) {
    if (text != null && !text.isEmpty()) {
      where.add("strpos(name_lower, ?) > 0");
      params.add(text.toLowerCase(Locale.ROOT));
    }
    return this;
  }

  /** Adds {@code condition} (one {@code ?}) bound to the time {@code t}; null adds nothing. */
  public Listing time(String condition, Instant t) {
    if (t != null) {
      where.add(condition);
      params.add(Timestamp.from(t));
    }
    return this;
  }

  /** Keeps rows whose status column equals {@code status}'s name; null keeps all. */
  public Listing statusEquals(Enum<?> status) {
    if (status != null) {
      where.add("status = ?");
      params.add(status.name());
    }
    return this;
  }

  /** The page {@code nextToken} names (null: the first), as the rows are. */
  public <R> Page<R> page(String nextToken, Rows<R> rows) {
    return page(nextToken, rows, Function.identity());
  }

  /**
   * The page {@code nextToken} names (null: the first), mapped by {@code map}.
   *
   * @throws SagebrushException a validation error when the token is malformed or belongs to another
   *     query
   */
  public <R, T> Page<T> page(String nextToken, Rows<R> rows, Function<R, T> map) {
    String fingerprint = kind + "|" + where + "|" + params + "|" + column + "|" + dir;
    OptionalLong offset = PageToken.decode(nextToken, fingerprint);
    if (offset.isEmpty()) {
      throw SagebrushException.validation(
          "The NextToken is not valid for this request (it belongs to another query or is"
              + " malformed).");
    }
    String orderBy = column + " " + dir + ", id " + dir;
    List<R> fetched = rows.fetch(where, params, orderBy, offset.getAsLong(), limit + 1);
    String token =
        fetched.size() > limit ? PageToken.encode(offset.getAsLong() + limit, fingerprint) : null;
    List<T> items = fetched.subList(0, Math.min(limit, fetched.size())).stream().map(map).toList();
    return new Page<>(items, token);
  }

  private static Map<String, String> sortColumns(String... keysAndColumns) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndColumns.length; i += 2) {
      m.put(keysAndColumns[i], keysAndColumns[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
