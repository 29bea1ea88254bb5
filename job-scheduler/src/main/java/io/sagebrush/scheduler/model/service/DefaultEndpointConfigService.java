package io.sagebrush.scheduler.model.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.PageToken;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.model.adapter.persistence.EndpointConfigStore;
import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.model.domain.EndpointConfig;
import io.sagebrush.scheduler.model.domain.EndpointConfigSpec;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ProductionVariantSpec;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.tag.service.DefaultTagService;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/** Endpoint configs in PostgreSQL; their models must exist when they are created. */
public class DefaultEndpointConfigService implements EndpointConfigService {
  private final TransactionTemplate tx;
  private final EndpointConfigStore store;
  private final ModelStore models;
  private final DefaultTagService tags;
  private final InstanceCatalogue catalogue;
  private final Arns arns;
  private final Clock clock;

  public DefaultEndpointConfigService(
      TransactionTemplate tx,
      EndpointConfigStore store,
      ModelStore models,
      DefaultTagService tags,
      InstanceCatalogue catalogue,
      Arns arns,
      Clock clock) {
    this.tx = tx;
    this.store = store;
    this.models = models;
    this.tags = tags;
    this.catalogue = catalogue;
    this.arns = arns;
    this.clock = clock;
  }

  @Override
  public EndpointConfig create(EndpointConfigSpec spec) {
    for (int i = 0; i < spec.variants().size(); i++) {
      ProductionVariantSpec v = spec.variants().get(i);
      if (v.instanceType() != null && catalogue.find(v.instanceType()).isEmpty()) {
        throw SagebrushException.constraint(
            "productionVariants." + (i + 1) + ".member.instanceType",
            v.instanceType(),
            "Member must be an instance type this server knows (configure more with"
                + " sagebrush.scheduler.instance-types.extra)");
      }
    }
    String arn = arns.endpointConfig(spec.name());
    EndpointConfig config =
        new EndpointConfig(
            spec.name(), arn, spec.echoJson(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
    try {
      return tx.execute(
          s -> {
            if (store.findByName(spec.name()).isPresent()) {
              throw duplicate(arn);
            }
            for (ProductionVariantSpec v : spec.variants()) {
              if (models.findByName(v.modelName()).isEmpty()) {
                throw SagebrushException.validation(
                    "Could not find model \"" + arns.model(v.modelName()) + "\".");
              }
            }
            store.insert(config);
            tags.putAtCreation(arn, spec.tags());
            return config;
          });
    } catch (DataIntegrityViolationException e) {
      throw duplicate(arn);
    }
  }

  private static SagebrushException duplicate(String arn) {
    return SagebrushException.validation(
        "Cannot create already existing endpoint configuration \"" + arn + "\".");
  }

  private SagebrushException missing(String name) {
    return SagebrushException.validation(
        "Could not find endpoint configuration \""
            + arns.endpointConfig(name == null ? "" : name)
            + "\".");
  }

  @Override
  public EndpointConfig describe(String name) {
    return tx.execute(
        s -> store.findByName(name == null ? "" : name).orElseThrow(() -> missing(name)));
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
  public Page<EndpointConfig> list(ModelQuery q) {
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
    String dir = q.sortOrder() == SortOrder.Ascending ? "ASC" : "DESC";
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (q.nameContains() != null && !q.nameContains().isEmpty()) {
      where.add("strpos(name_lower, ?) > 0");
      params.add(q.nameContains().toLowerCase(Locale.ROOT));
    }
    if (q.creationTimeAfter() != null) {
      where.add("creation_time > ?");
      params.add(Timestamp.from(q.creationTimeAfter()));
    }
    if (q.creationTimeBefore() != null) {
      where.add("creation_time < ?");
      params.add(Timestamp.from(q.creationTimeBefore()));
    }
    String fingerprint = "endpoint-config|" + where + "|" + params + "|" + column + "|" + dir;
    OptionalLong offset = PageToken.decode(q.nextToken(), fingerprint);
    if (offset.isEmpty()) {
      throw SagebrushException.validation(
          "The NextToken is not valid for this request (it belongs to another query or is"
              + " malformed).");
    }
    String orderBy = column + " " + dir + ", id " + dir;
    List<EndpointConfig> rows =
        tx.execute(s -> store.list(where, params, orderBy, offset.getAsLong(), limit + 1));
    String token =
        rows.size() > limit ? PageToken.encode(offset.getAsLong() + limit, fingerprint) : null;
    return new Page<>(List.copyOf(rows.subList(0, Math.min(limit, rows.size()))), token);
  }
}
