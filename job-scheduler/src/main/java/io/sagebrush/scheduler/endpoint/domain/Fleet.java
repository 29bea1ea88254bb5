package io.sagebrush.scheduler.endpoint.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One production variant of one generation of an endpoint: what its replicas run (copied from the
 * model and endpoint config when the endpoint was created or updated) and how many it wants.
 *
 * @param generation 1 at create, +1 for each update that brings up a new fleet
 * @param currentWeight the weight gateways use (changes at once on
 *     UpdateEndpointWeightsAndCapacities)
 * @param waitingSince when the fleet last needed a replica that fit on no agent, null when placed
 * @param waitingFor what it waits for (the placement message)
 * @param countBefore the desired count before the last capacity change (restored when that change
 *     is given up), null when none was made
 */
public record Fleet(
    int generation,
    String variantName,
    String modelName,
    String image,
    String modelDataUrl,
    Map<String, String> environment,
    String instanceType,
    int desiredCount,
    double desiredWeight,
    double currentWeight,
    int startupTimeoutSeconds,
    int downloadTimeoutSeconds,
    Instant createdAt,
    Instant waitingSince,
    String waitingFor,
    Integer countBefore) {

  public Fleet {
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }

  /** A fleet without a capacity change behind it. */
  public Fleet(
      int generation,
      String variantName,
      String modelName,
      String image,
      String modelDataUrl,
      Map<String, String> environment,
      String instanceType,
      int desiredCount,
      double desiredWeight,
      double currentWeight,
      int startupTimeoutSeconds,
      int downloadTimeoutSeconds,
      Instant createdAt,
      Instant waitingSince,
      String waitingFor) {
    this(
        generation,
        variantName,
        modelName,
        image,
        modelDataUrl,
        environment,
        instanceType,
        desiredCount,
        desiredWeight,
        currentWeight,
        startupTimeoutSeconds,
        downloadTimeoutSeconds,
        createdAt,
        waitingSince,
        waitingFor,
        null);
  }

  /** This fleet in generation {@code g}. */
  public Fleet inGeneration(int g, Instant now) {
    return copy(g, desiredCount, desiredWeight, currentWeight, now, null, null, null);
  }

  /** Counts and weights set as they are (the decider's own corrections); the wait is kept. */
  public Fleet withCountAndWeight(int count, double desired, double current) {
    return copy(
        generation, count, desired, current, createdAt, waitingSince, waitingFor, countBefore);
  }

  /**
   * A capacity change the client asked for: a new count remembers the count before it (restored if
   * the change is given up) and starts a fresh placement wait; weights alone change nothing else.
   */
  public Fleet rescaled(int count, double desired, double current) {
    boolean counts = count != desiredCount;
    return copy(
        generation,
        count,
        desired,
        current,
        createdAt,
        counts ? null : waitingSince,
        counts ? null : waitingFor,
        counts ? Integer.valueOf(desiredCount) : countBefore);
  }

  /** The capacity change is given up: back to {@code count}, no wait, nothing to restore. */
  public Fleet revertedTo(int count) {
    return copy(generation, count, desiredWeight, currentWeight, createdAt, null, null, null);
  }

  /** This fleet's deployment (what runs and how) with the given generation, counts and wait. */
  private Fleet copy(
      int generation,
      int count,
      double desired,
      double current,
      Instant createdAt,
      Instant waitingSince,
      String waitingFor,
      Integer countBefore) {
    return new Fleet(
        generation,
        variantName,
        modelName,
        image,
        modelDataUrl,
        environment,
        instanceType,
        count,
        desired,
        current,
        startupTimeoutSeconds,
        downloadTimeoutSeconds,
        createdAt,
        waitingSince,
        waitingFor,
        countBefore);
  }

  /** True when both run the same thing the same way (only counts and weights may differ). */
  public boolean sameDeploymentAs(Fleet o) {
    return variantName.equals(o.variantName)
        && modelName.equals(o.modelName)
        && image.equals(o.image)
        && Objects.equals(modelDataUrl, o.modelDataUrl)
        && environment.equals(o.environment)
        && instanceType.equals(o.instanceType)
        && startupTimeoutSeconds == o.startupTimeoutSeconds
        && downloadTimeoutSeconds == o.downloadTimeoutSeconds;
  }

  /** How long a replica may take from placement to its first successful ping. */
  public long startBudgetSeconds() {
    return (long) startupTimeoutSeconds + downloadTimeoutSeconds;
  }
}
