package io.sagebrush.scheduler.model.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.model.adapter.persistence.EndpointConfigStore;
import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.model.domain.EndpointConfig;
import io.sagebrush.scheduler.model.domain.EndpointConfigSpec;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ProductionVariantSpec;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.tag.service.DefaultTagService;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
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
    return DefaultModelService.listing("endpoint-config", q)
        .page(
            q.nextToken(),
            (where, params, orderBy, offset, limit) ->
                tx.execute(s -> store.list(where, params, orderBy, offset, limit)));
  }
}
