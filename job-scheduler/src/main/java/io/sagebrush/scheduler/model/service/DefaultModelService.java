package io.sagebrush.scheduler.model.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.PageToken;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.model.domain.Model;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ModelSpec;
import io.sagebrush.scheduler.tag.service.DefaultTagService;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/** Models in PostgreSQL; tags through the tag service. */
public class DefaultModelService implements ModelService {
  private final TransactionTemplate tx;
  private final ModelStore store;
  private final DefaultTagService tags;
  private final Arns arns;
  private final Clock clock;

  public DefaultModelService(
      TransactionTemplate tx, ModelStore store, DefaultTagService tags, Arns arns, Clock clock) {
    this.tx = tx;
    this.store = store;
    this.tags = tags;
    this.arns = arns;
    this.clock = clock;
  }

  @Override
  public Model create(ModelSpec spec) {
    String arn = arns.model(spec.name());
    Model model =
        new Model(
            spec.name(),
            arn,
            spec.executionRoleArn(),
            spec.primaryContainerJson(),
            spec.containersJson(),
            spec.enableNetworkIsolation(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS));
    try {
      return tx.execute(
          s -> {
            if (store.findByName(spec.name()).isPresent()) {
              throw duplicate(arn);
            }
            store.insert(model);
            tags.putAtCreation(arn, spec.tags());
            return model;
          });
    } catch (DataIntegrityViolationException e) {
      // a concurrent create of the same name won the unique index
      throw duplicate(arn);
    }
  }

  private static SagebrushException duplicate(String arn) {
    return SagebrushException.validation("Cannot create already existing model \"" + arn + "\".");
  }

  private SagebrushException missing(String name) {
    return SagebrushException.validation(
        "Could not find model \"" + arns.model(name == null ? "" : name) + "\".");
  }

  @Override
  public Model describe(String name) {
    return tx.execute(
        s -> store.findByName(name == null ? "" : name).orElseThrow(() -> missing(name)));
  }

  @Override
  public boolean exists(String name) {
    return Boolean.TRUE.equals(
        tx.execute(s -> store.findByName(name == null ? "" : name).isPresent()));
  }

  @Override
  public void delete(String name) {
    tx.executeWithoutResult(
        s -> {
          if (!store.delete(name == null ? "" : name)) {
            throw missing(name);
          }
        });
  }

  @Override
  public Page<Model> list(ModelQuery q) {
    int limit = q.maxResults() <= 0 ? 10 : q.maxResults();
    if (limit > 100) {
      throw SagebrushException.constraint(
          "maxResults", limit, "Member must have value less than or equal to 100");
    }
    String sortBy = q.sortBy() == null ? "CreationTime" : q.sortBy();
    String column =
        switch (sortBy) {
          case "Name" -> "name";
          case "CreationTime" -> "creation_time";
          default ->
              throw SagebrushException.constraint(
                  "sortBy", sortBy, "Member must satisfy enum value set: [Name, CreationTime]");
        };
    SortOrder order = q.sortOrder() == null ? SortOrder.Descending : q.sortOrder();
    String dir = order == SortOrder.Ascending ? "ASC" : "DESC";
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (q.nameContains() != null && !q.nameContains().isEmpty()) {
      where.add("strpos(name_lower, ?) > 0");
      params.add(q.nameContains().toLowerCase(Locale.ROOT));
    }
    time(where, params, "creation_time > ?", q.creationTimeAfter());
    time(where, params, "creation_time < ?", q.creationTimeBefore());
    String fingerprint = "model|" + where + "|" + params + "|" + column + "|" + dir;
    OptionalLong offset = PageToken.decode(q.nextToken(), fingerprint);
    if (offset.isEmpty()) {
      throw SagebrushException.validation(
          "The NextToken is not valid for this request (it belongs to another query or is"
              + " malformed).");
    }
    String orderBy = column + " " + dir + ", id " + dir;
    List<Model> rows =
        tx.execute(s -> store.list(where, params, orderBy, offset.getAsLong(), limit + 1));
    String token =
        rows.size() > limit ? PageToken.encode(offset.getAsLong() + limit, fingerprint) : null;
    return new Page<>(List.copyOf(rows.subList(0, Math.min(limit, rows.size()))), token);
  }

  private static void time(List<String> where, List<Object> params, String cond, Instant t) {
    if (t != null) {
      where.add(cond);
      params.add(Timestamp.from(t));
    }
  }
}
