package io.sagebrush.scheduler.endpoint.service;

import io.sagebrush.common.arn.Arns;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.scheduler.common.Listing;
import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.common.SortOrder;
import io.sagebrush.scheduler.endpoint.adapter.persistence.EndpointStore;
import io.sagebrush.scheduler.endpoint.domain.DeploymentPolicy;
import io.sagebrush.scheduler.endpoint.domain.DesiredWeightAndCapacity;
import io.sagebrush.scheduler.endpoint.domain.Endpoint;
import io.sagebrush.scheduler.endpoint.domain.EndpointQuery;
import io.sagebrush.scheduler.endpoint.domain.EndpointStatus;
import io.sagebrush.scheduler.endpoint.domain.EndpointUpdate;
import io.sagebrush.scheduler.endpoint.domain.EndpointView;
import io.sagebrush.scheduler.endpoint.domain.EndpointViews;
import io.sagebrush.scheduler.endpoint.domain.Fleet;
import io.sagebrush.scheduler.model.adapter.persistence.EndpointConfigStore;
import io.sagebrush.scheduler.model.adapter.persistence.ModelStore;
import io.sagebrush.scheduler.model.domain.EndpointConfig;
import io.sagebrush.scheduler.placement.domain.InstanceCatalogue;
import io.sagebrush.scheduler.tag.service.DefaultTagService;
import io.sagebrush.scheduler.trainingjob.adapter.persistence.CasRetry;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Endpoints in PostgreSQL. The API writes intentions (create, update, scale, delete) under the
 * endpoint's row lock; the {@link FleetReconciler} does the rest and is nudged after each.
 */
public class DefaultEndpointService implements EndpointService {
  private final TransactionTemplate tx;
  private final EndpointStore store;
  private final EndpointConfigStore configs;
  private final FleetResolver resolver;
  private final DefaultTagService tags;
  private final Arns arns;
  private final Clock clock;
  private final FleetReconciler reconciler;
  private final InstanceCatalogue catalogue;

  public DefaultEndpointService(
      TransactionTemplate tx,
      EndpointStore store,
      EndpointConfigStore configs,
      ModelStore models,
      DefaultTagService tags,
      Arns arns,
      Clock clock,
      FleetReconciler reconciler,
      int defaultStartupTimeoutSeconds,
      int defaultDownloadTimeoutSeconds,
      InstanceCatalogue catalogue) {
    this.tx = tx;
    this.catalogue = catalogue;
    this.store = store;
    this.configs = configs;
    this.resolver =
        new FleetResolver(
            models, arns, defaultStartupTimeoutSeconds, defaultDownloadTimeoutSeconds);
    this.tags = tags;
    this.arns = arns;
    this.clock = clock;
    this.reconciler = reconciler;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public String create(String name, String configName, DeploymentPolicy policy, List<Tag> tagList) {
    String arn = arns.endpoint(name);
    try {
      tx.executeWithoutResult(
          s -> {
            if (store.findByName(name).isPresent()) {
              throw duplicate(arn);
            }
            EndpointConfig config = config(configName);
            Instant now = now();
            List<Fleet> fleets = resolver.resolve(config, 1, now);
            requireKnownInstanceTypes(config, fleets);
            Endpoint e = Endpoint.creating(name, arn, config.name(), policy, now);
            long id = store.insert(e);
            fleets.forEach(f -> store.insertFleet(id, f));
            tags.putAtCreation(arn, tagList == null ? List.of() : tagList);
            store.bumpRoutingVersion();
          });
    } catch (DataIntegrityViolationException e) {
      throw duplicate(arn);
    }
    reconciler.nudge();
    return arn;
  }

  private static SagebrushException duplicate(String arn) {
    return SagebrushException.validation(
        "Cannot create already existing endpoint \"" + arn + "\".");
  }

  private SagebrushException missing(String name) {
    return SagebrushException.notFound(
        "Could not find endpoint \"" + arns.endpoint(name == null ? "" : name) + "\".");
  }

  private EndpointConfig config(String configName) {
    String n = configName == null ? "" : configName;
    return configs
        .findByName(n)
        .orElseThrow(
            () ->
                SagebrushException.validation(
                    "Could not find endpoint configuration \"" + arns.endpointConfig(n) + "\"."));
  }

  /**
   * Endpoint configs are checked against the instance catalogue when created, but the catalogue is
   * configuration: a type removed since cannot be placed, so the endpoint is refused now rather
   * than failing at its placement timeout.
   */
  private void requireKnownInstanceTypes(EndpointConfig config, List<Fleet> fleets) {
    for (Fleet f : fleets) {
      if (catalogue.find(f.instanceType()).isEmpty()) {
        throw SagebrushException.validation(
            "The instance type "
                + f.instanceType()
                + " of production variant "
                + f.variantName()
                + " in endpoint configuration \""
                + arns.endpointConfig(config.name())
                + "\" is not an instance type this server knows (configure more with"
                + " sagebrush.scheduler.instance-types.extra).");
      }
    }
  }

  @Override
  public EndpointView describe(String name) {
    return tx.execute(
        s -> {
          Endpoint e = store.findByName(name == null ? "" : name).orElseThrow(() -> missing(name));
          return EndpointViews.of(
              e,
              store.fleets(e.id()),
              store.replicas(e.id(), clock.instant().minus(FleetReconciler.KEEP_ENDED)));
        });
  }

  @Override
  public boolean exists(String name) {
    return Boolean.TRUE.equals(
        tx.execute(s -> store.findByName(name == null ? "" : name).isPresent()));
  }

  /** Views carry no variant summaries: ListEndpoints shows none. */
  @Override
  public Page<EndpointView> list(EndpointQuery q) {
    return Listing.of(
            "endpoint",
            q.maxResults(),
            q.sortBy(),
            Listing.BY_NAME_CREATION_TIME_OR_STATUS,
            q.sortOrder(),
            SortOrder.Descending)
        .nameContains(q.nameContains())
        .time("creation_time > ?", q.creationTimeAfter())
        .time("creation_time < ?", q.creationTimeBefore())
        .time("last_modified_time > ?", q.lastModifiedTimeAfter())
        .time("last_modified_time < ?", q.lastModifiedTimeBefore())
        .statusEquals(q.statusEquals())
        .page(
            q.nextToken(),
            (where, params, orderBy, offset, limit) ->
                tx.execute(s -> store.list(where, params, orderBy, offset, limit)),
            EndpointViews::summary);
  }

  /**
   * 1. Lock the endpoint; only InService accepts an update. 2. Resolve the new config into fleets
   * (retaining counts and weights of same-named variants when asked). 3. When only counts and
   * weights differ, change them in place (weights at once, counts through the reconciler); else
   * start a blue/green or rolling update to a new generation.
   */
  @Override
  public String update(EndpointUpdate u) {
    String arn =
        CasRetry.run(
            () ->
                tx.execute(
                    s -> {
                      Endpoint e = locked(u.endpointName());
                      if (!e.updatable()) {
                        throw inProgress(e);
                      }
                      EndpointConfig config = config(u.endpointConfigName());
                      Instant now = now();
                      List<Fleet> all = store.fleets(e.id());
                      List<Fleet> current =
                          all.stream()
                              .filter(f -> f.generation() == e.currentGeneration())
                              .toList();
                      // Never reuse a generation: replicas of a rolled-back one may linger.
                      int nextGen = store.maxGeneration(e.id()) + 1;
                      List<Fleet> fresh = resolver.resolve(config, nextGen, now);
                      requireKnownInstanceTypes(config, fresh);
                      if (u.retainAllVariantProperties()) {
                        fresh = retain(fresh, current, u.excludedRetainedProperties());
                      }
                      DeploymentPolicy policy = u.deploymentPolicy();
                      if (policy == null && u.retainDeploymentConfig()) {
                        policy = e.updatePolicy();
                      }
                      if (sameDeployment(fresh, current)) {
                        boolean counts = false;
                        Map<String, Fleet> byName = byName(current);
                        for (Fleet f : fresh) {
                          Fleet old = byName.get(f.variantName());
                          counts |= old.desiredCount() != f.desiredCount();
                          // A new count remembers the old one and gets a fresh placement wait.
                          store.updateFleet(
                              e.id(),
                              old.rescaled(f.desiredCount(), f.desiredWeight(), f.currentWeight()));
                        }
                        e.updateInPlace(config.name(), policy, counts, now);
                      } else {
                        for (Fleet f : fresh) {
                          store.insertFleet(e.id(), f);
                        }
                        e.startUpdate(nextGen, config.name(), policy, now);
                      }
                      store.save(e);
                      store.bumpRoutingVersion();
                      return e.arn();
                    }));
    reconciler.nudge();
    return arn;
  }

  private static List<Fleet> retain(List<Fleet> fresh, List<Fleet> current, Set<String> excluded) {
    Set<String> ex = excluded == null ? Set.of() : excluded;
    Map<String, Fleet> byName = byName(current);
    List<Fleet> out = new ArrayList<>();
    for (Fleet f : fresh) {
      Fleet old = byName.get(f.variantName());
      if (old == null) {
        out.add(f);
        continue;
      }
      int count = ex.contains("DesiredInstanceCount") ? f.desiredCount() : old.desiredCount();
      double desired = ex.contains("DesiredWeight") ? f.desiredWeight() : old.desiredWeight();
      double currentWeight = ex.contains("DesiredWeight") ? f.currentWeight() : old.currentWeight();
      out.add(f.withCountAndWeight(count, desired, currentWeight));
    }
    return out;
  }

  private static boolean sameDeployment(List<Fleet> fresh, List<Fleet> current) {
    if (fresh.size() != current.size()) {
      return false;
    }
    Map<String, Fleet> byName = byName(current);
    return fresh.stream()
        .allMatch(
            f ->
                byName.containsKey(f.variantName())
                    && f.sameDeploymentAs(byName.get(f.variantName())));
  }

  private static Map<String, Fleet> byName(List<Fleet> fleets) {
    return fleets.stream().collect(Collectors.toMap(Fleet::variantName, Function.identity()));
  }

  private SagebrushException inProgress(Endpoint e) {
    return SagebrushException.validation("Cannot update in-progress endpoint \"" + e.arn() + "\".");
  }

  private Endpoint locked(String name) {
    return store.lockByName(name == null ? "" : name).orElseThrow(() -> missing(name));
  }

  @Override
  public String updateWeightsAndCapacities(String name, List<DesiredWeightAndCapacity> desired) {
    String arn =
        CasRetry.run(
            () ->
                tx.execute(
                    s -> {
                      Endpoint e = locked(name);
                      if (!e.updatable()) {
                        throw inProgress(e);
                      }
                      Map<String, Fleet> current =
                          byName(
                              store.fleets(e.id()).stream()
                                  .filter(f -> f.generation() == e.currentGeneration())
                                  .toList());
                      Set<String> unknown = new LinkedHashSet<>();
                      for (DesiredWeightAndCapacity d : desired) {
                        if (!current.containsKey(d.variantName())) {
                          unknown.add(d.variantName());
                        }
                      }
                      if (!unknown.isEmpty()) {
                        throw SagebrushException.validation(
                            "The variant name(s) ["
                                + String.join(", ", unknown)
                                + "] is/are not present in the endpoint \""
                                + e.arn()
                                + "\".");
                      }
                      Instant now = now();
                      boolean counts = false;
                      for (DesiredWeightAndCapacity d : desired) {
                        Fleet f = current.get(d.variantName());
                        int count =
                            d.desiredInstanceCount() == null
                                ? f.desiredCount()
                                : d.desiredInstanceCount();
                        double weight =
                            d.desiredWeight() == null ? f.desiredWeight() : d.desiredWeight();
                        counts |= count != f.desiredCount();
                        // A new count remembers the old one and gets a fresh placement wait.
                        Fleet changed = f.rescaled(count, weight, weight);
                        if (!Objects.equals(changed, f)) {
                          store.updateFleet(e.id(), changed);
                        }
                      }
                      if (counts) {
                        e.scale(now);
                      } else {
                        e.touch(now);
                      }
                      store.save(e);
                      store.bumpRoutingVersion();
                      return e.arn();
                    }));
    reconciler.nudge();
    return arn;
  }

  @Override
  public void delete(String name) {
    CasRetry.run(
        () ->
            tx.execute(
                s -> {
                  Endpoint e = locked(name);
                  if (e.status() != EndpointStatus.DELETING) {
                    e.markDeleting(now());
                    store.save(e);
                    store.bumpRoutingVersion();
                  }
                  return null;
                }));
    reconciler.nudge();
  }
}
