package io.sagebrush.scheduler.model.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Listing;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.model.domain.Model;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ModelSpec;
import io.sagebrush.scheduler.tag.service.DefaultTagService;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
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
    return listing("model", q)
        .page(
            q.nextToken(),
            (where, params, orderBy, offset, limit) ->
                tx.execute(s -> store.list(where, params, orderBy, offset, limit)));
  }

  /** The listing {@code q} asks for; ListModels and ListEndpointConfigs filter alike. */
  static Listing listing(String kind, ModelQuery q) {
    return Listing.of(
            kind,
            q.maxResults(),
            q.sortBy(),
            Listing.BY_NAME_OR_CREATION_TIME,
            q.sortOrder(),
            SortOrder.Descending)
        .nameContains(q.nameContains())
        .time("creation_time > ?", q.creationTimeAfter())
        .time("creation_time < ?", q.creationTimeBefore());
  }
}
