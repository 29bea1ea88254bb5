package io.sagebrush.scheduler.endpoint.domain;

import io.sagebrush.scheduler.endpoint.domain.EndpointView.DeployedImage;
import io.sagebrush.scheduler.endpoint.domain.EndpointView.PendingDeployment;
import io.sagebrush.scheduler.endpoint.domain.EndpointView.VariantStatus;
import io.sagebrush.scheduler.endpoint.domain.EndpointView.VariantSummary;
import java.util.Comparator;
import java.util.List;

/** Builds what DescribeEndpoint shows from the stored endpoint, fleets and replicas. */
public final class EndpointViews {
  private EndpointViews() {}

  public static EndpointView of(Endpoint e, List<Fleet> fleets, List<Replica> replicas) {
    List<VariantSummary> variants =
        summaries(e, fleets, replicas, e.currentGeneration(), currentStatus(e));
    PendingDeployment pending = null;
    if (e.targetGeneration() != null) {
      pending =
          new PendingDeployment(
              e.pendingConfigName(),
              summaries(e, fleets, replicas, e.targetGeneration(), pendingStatus(e)),
              e.updateStartedAt());
    }
    return new EndpointView(
        e.name(),
        e.arn(),
        e.configName(),
        e.status(),
        e.failureReason(),
        e.creationTime(),
        e.lastModifiedTime(),
        variants,
        e.deploymentConfigJson(),
        pending);
  }

  /** A view with no variants (what listings need). */
  public static EndpointView summary(Endpoint e) {
    return new EndpointView(
        e.name(),
        e.arn(),
        e.configName(),
        e.status(),
        e.failureReason(),
        e.creationTime(),
        e.lastModifiedTime(),
        List.of(),
        e.deploymentConfigJson(),
        null);
  }

  private static String currentStatus(Endpoint e) {
    return switch (e.status()) {
      case CREATING -> "Creating";
      case UPDATING, ROLLING_BACK -> "Updating";
      case DELETING -> "Deleting";
      default -> null;
    };
  }

  private static String pendingStatus(Endpoint e) {
    if (e.updatePhase() == UpdatePhase.PROVISIONING) {
      return "Creating";
    }
    if (e.updatePhase() == UpdatePhase.BAKING || e.trafficShift() >= 1.0) {
      return "Baking";
    }
    return "ActivatingTraffic";
  }

  private static List<VariantSummary> summaries(
      Endpoint e, List<Fleet> fleets, List<Replica> replicas, int gen, String status) {
    return fleets.stream()
        .filter(f -> f.generation() == gen)
        .sorted(Comparator.comparing(Fleet::variantName))
        .map(
            f -> {
              int ready =
                  (int)
                      replicas.stream()
                          .filter(r -> r.of(f) && r.state() == ReplicaState.READY)
                          .count();
              List<VariantStatus> statuses =
                  status == null
                          || (ready >= f.desiredCount()
                              && gen == e.currentGeneration()
                              && e.status() != EndpointStatus.CREATING
                              && e.status() != EndpointStatus.DELETING
                              && e.targetGeneration() == null)
                      ? List.of()
                      : List.of(new VariantStatus(status, null, e.statusSince()));
              return new VariantSummary(
                  f.variantName(),
                  List.of(new DeployedImage(f.image(), f.image(), f.createdAt())),
                  f.currentWeight(),
                  f.desiredWeight(),
                  ready,
                  f.desiredCount(),
                  statuses);
            })
        .toList();
  }
}
