package io.sagebrush.scheduler.endpoint.domain;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The endpoint aggregate: status, the generation of fleets in service and the update in progress.
 * Changes go through intentions that check the status they start from; each stamps the
 * last-modified time from the caller's clock. Instances are mutable; {@link #copy()} before
 * deciding on one.
 *
 * <pre>
 * Creating --all variants ready--> InService --update--> Updating --done--> InService
 *    |                               |  ^                   |
 *    +--replica failed / deadline--> Failed                 +--new fleet failed/timeout--> RollingBack
 *                                    |  +---------------------------------------- old fleet full --+
 * any --delete--> Deleting --replicas ended--> (gone)
 * </pre>
 */
public final class Endpoint {
  private static final Set<EndpointStatus> UPDATABLE = EnumSet.of(EndpointStatus.IN_SERVICE);

  private final long id;
  private final String name;
  private final String arn;
  private final Instant creationTime;
  private final long version;
  private String configName;
  private EndpointStatus status;
  private String failureReason;
  private String deploymentConfigJson;
  private int currentGeneration;
  private Integer targetGeneration;
  private String pendingConfigName;
  private DeploymentPolicy updatePolicy;
  private Instant updateStartedAt;
  private UpdatePhase updatePhase;
  private int updateStep;
  private Instant phaseSince;
  private double trafficShift;
  private Instant lastModifiedTime;
  private Instant statusSince;
  private Integer rollbackGeneration;

  public Endpoint(
      long id,
      String name,
      String arn,
      String configName,
      EndpointStatus status,
      String failureReason,
      String deploymentConfigJson,
      int currentGeneration,
      Integer targetGeneration,
      String pendingConfigName,
      DeploymentPolicy updatePolicy,
      Instant updateStartedAt,
      UpdatePhase updatePhase,
      int updateStep,
      Instant phaseSince,
      double trafficShift,
      Instant creationTime,
      Instant lastModifiedTime,
      Instant statusSince,
      long version) {
    this.id = id;
    this.name = name;
    this.arn = arn;
    this.configName = configName;
    this.status = status;
    this.failureReason = failureReason;
    this.deploymentConfigJson = deploymentConfigJson;
    this.currentGeneration = currentGeneration;
    this.targetGeneration = targetGeneration;
    this.pendingConfigName = pendingConfigName;
    this.updatePolicy = updatePolicy;
    this.updateStartedAt = updateStartedAt;
    this.updatePhase = updatePhase;
    this.updateStep = updateStep;
    this.phaseSince = phaseSince;
    this.trafficShift = trafficShift;
    this.creationTime = creationTime;
    this.lastModifiedTime = lastModifiedTime;
    this.statusSince = statusSince;
    this.version = version;
  }

  /** A new endpoint in Creating with generation 1. */
  public static Endpoint creating(
      String name, String arn, String configName, DeploymentPolicy policy, Instant now) {
    return new Endpoint(
        0,
        name,
        arn,
        configName,
        EndpointStatus.CREATING,
        null,
        policy == null ? null : policy.echoJson(),
        1,
        null,
        null,
        policy,
        null,
        null,
        0,
        null,
        0,
        now,
        now,
        now,
        0);
  }

  public Endpoint copy() {
    Endpoint c =
        new Endpoint(
            id,
            name,
            arn,
            configName,
            status,
            failureReason,
            deploymentConfigJson,
            currentGeneration,
            targetGeneration,
            pendingConfigName,
            updatePolicy,
            updateStartedAt,
            updatePhase,
            updateStep,
            phaseSince,
            trafficShift,
            creationTime,
            lastModifiedTime,
            statusSince,
            version);
    c.rollbackGeneration = rollbackGeneration;
    return c;
  }

  /** As stored: the generation a rollback abandoned and that still serves, or null. */
  public Endpoint withRollbackGeneration(Integer generation) {
    rollbackGeneration = generation;
    return this;
  }

  // ---- intentions ----

  /** True when UpdateEndpoint and UpdateEndpointWeightsAndCapacities are accepted now. */
  public boolean updatable() {
    return UPDATABLE.contains(status);
  }

  /** Creating fails: every replica goes away, only DeleteEndpoint is accepted afterwards. */
  public void fail(String reason, Instant now) {
    require(status == EndpointStatus.CREATING, "fail");
    failureReason = reason;
    setStatus(EndpointStatus.FAILED, now);
  }

  /** Every variant has its instances ready. */
  public void markInService(Instant now) {
    require(
        status == EndpointStatus.CREATING
            || status == EndpointStatus.UPDATING
            || status == EndpointStatus.ROLLING_BACK,
        "markInService");
    require(targetGeneration == null, "markInService");
    setStatus(EndpointStatus.IN_SERVICE, now);
  }

  /** Starts bringing up generation {@code generation} from config {@code config}. */
  public void startUpdate(int generation, String config, DeploymentPolicy policy, Instant now) {
    require(updatable(), "startUpdate");
    // A generation a rollback left serving retires now: the new update brings its own fleet.
    rollbackGeneration = null;
    targetGeneration = generation;
    pendingConfigName = config;
    updatePolicy = policy;
    deploymentConfigJson = policy == null ? null : policy.echoJson();
    updateStartedAt = now;
    updatePhase = UpdatePhase.PROVISIONING;
    updateStep = 1;
    phaseSince = now;
    trafficShift = 0;
    failureReason = null;
    setStatus(EndpointStatus.UPDATING, now);
  }

  /** An update that changes only counts and weights: in place; Updating until counts are met. */
  public void updateInPlace(
      String config, DeploymentPolicy policy, boolean countsChange, Instant now) {
    require(updatable(), "updateInPlace");
    configName = config;
    updatePolicy = policy;
    deploymentConfigJson = policy == null ? null : policy.echoJson();
    failureReason = null;
    if (countsChange) {
      setStatus(EndpointStatus.UPDATING, now);
    } else {
      lastModifiedTime = now;
    }
  }

  /** New instance counts requested (UpdateEndpointWeightsAndCapacities). */
  public void scale(Instant now) {
    require(updatable(), "scale");
    failureReason = null;
    setStatus(EndpointStatus.UPDATING, now);
  }

  /** Weights changed; the status stays. */
  public void touch(Instant now) {
    lastModifiedTime = now;
  }

  /** A capacity change could not be met: back to InService with the reason. */
  public void abandonScaling(String reason, Instant now) {
    require(status == EndpointStatus.UPDATING && targetGeneration == null, "abandonScaling");
    failureReason = reason;
    setStatus(EndpointStatus.IN_SERVICE, now);
  }

  /** The update moves to its next phase or step. */
  public void advanceUpdate(UpdatePhase phase, int step, double shift, Instant now) {
    require(targetGeneration != null, "advanceUpdate");
    updatePhase = phase;
    updateStep = step;
    trafficShift = shift;
    phaseSince = now;
    lastModifiedTime = now;
  }

  /** The new fleet takes over; the old one is retired by the caller. */
  public void completeUpdate(Instant now) {
    require(targetGeneration != null, "completeUpdate");
    currentGeneration = targetGeneration;
    configName = pendingConfigName;
    clearUpdate();
    failureReason = null;
    setStatus(EndpointStatus.IN_SERVICE, now);
  }

  /**
   * The update is abandoned; traffic stays on (or returns to) the current generation. When the
   * current generation is not full, the abandoned one keeps serving with what it has ready until
   * the current generation is back ({@link #rollbackGeneration()}).
   */
  public void rollBack(String reason, boolean oldFleetFull, Instant now) {
    require(targetGeneration != null, "rollBack");
    rollbackGeneration = oldFleetFull ? null : targetGeneration;
    clearUpdate();
    failureReason = reason;
    setStatus(oldFleetFull ? EndpointStatus.IN_SERVICE : EndpointStatus.ROLLING_BACK, now);
  }

  /** DeleteEndpoint: accepted in every status. */
  public void markDeleting(Instant now) {
    clearUpdate();
    setStatus(EndpointStatus.DELETING, now);
  }

  private void clearUpdate() {
    // updatePolicy stays: it is the last DeploymentConfig, which RetainDeploymentConfig reuses.
    targetGeneration = null;
    pendingConfigName = null;
    updateStartedAt = null;
    updatePhase = null;
    updateStep = 0;
    phaseSince = null;
    trafficShift = 0;
  }

  private void setStatus(EndpointStatus s, Instant now) {
    if (s != status) {
      statusSince = now;
    }
    status = s;
    lastModifiedTime = now;
  }

  private void require(boolean ok, String intention) {
    if (!ok) {
      throw new IllegalStateException(
          "endpoint " + name + " in " + status.wireName() + " cannot " + intention);
    }
  }

  /** The generation in service is full again: the abandoned generation retires. */
  public void endRollback(Instant now) {
    if (rollbackGeneration != null) {
      rollbackGeneration = null;
      lastModifiedTime = now;
    }
  }

  // ---- accessors ----

  /**
   * The generation a rollback abandoned while the current one was not full: it keeps its ready
   * replicas routed, retiring them as the current generation's come back; null otherwise.
   */
  public Integer rollbackGeneration() {
    return rollbackGeneration;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String arn() {
    return arn;
  }

  public String configName() {
    return configName;
  }

  public EndpointStatus status() {
    return status;
  }

  public String failureReason() {
    return failureReason;
  }

  public String deploymentConfigJson() {
    return deploymentConfigJson;
  }

  public int currentGeneration() {
    return currentGeneration;
  }

  public Integer targetGeneration() {
    return targetGeneration;
  }

  public String pendingConfigName() {
    return pendingConfigName;
  }

  /** The DeploymentConfig of the update in progress, else of the last create or update. */
  public DeploymentPolicy updatePolicy() {
    return updatePolicy;
  }

  public Instant updateStartedAt() {
    return updateStartedAt;
  }

  public UpdatePhase updatePhase() {
    return updatePhase;
  }

  public int updateStep() {
    return updateStep;
  }

  public Instant phaseSince() {
    return phaseSince;
  }

  public double trafficShift() {
    return trafficShift;
  }

  public Instant creationTime() {
    return creationTime;
  }

  public Instant lastModifiedTime() {
    return lastModifiedTime;
  }

  public Instant statusSince() {
    return statusSince;
  }

  public long version() {
    return version;
  }

  /** True when both hold the same state (the version is not compared). */
  public boolean sameStateAs(Endpoint o) {
    return Objects.equals(configName, o.configName)
        && status == o.status
        && Objects.equals(failureReason, o.failureReason)
        && Objects.equals(deploymentConfigJson, o.deploymentConfigJson)
        && currentGeneration == o.currentGeneration
        && Objects.equals(targetGeneration, o.targetGeneration)
        && Objects.equals(rollbackGeneration, o.rollbackGeneration)
        && Objects.equals(pendingConfigName, o.pendingConfigName)
        && updatePhase == o.updatePhase
        && updateStep == o.updateStep
        && Objects.equals(phaseSince, o.phaseSince)
        && trafficShift == o.trafficShift
        && Objects.equals(lastModifiedTime, o.lastModifiedTime);
  }
}
