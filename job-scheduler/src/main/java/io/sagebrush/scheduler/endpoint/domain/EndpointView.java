package io.sagebrush.scheduler.endpoint.domain;

import java.time.Instant;
import java.util.List;

/**
 * What DescribeEndpoint shows.
 *
 * @param configName the endpoint config in effect (the new one once an update completed)
 * @param failureReason why it failed, or why the last update rolled back; null otherwise
 * @param variants one summary per production variant in effect
 * @param lastDeploymentConfigJson the DeploymentConfig of the last create/update as JSON, or null
 * @param pending the update in progress, or null
 */
public record EndpointView(
    String name,
    String arn,
    String configName,
    EndpointStatus status,
    String failureReason,
    Instant creationTime,
    Instant lastModifiedTime,
    List<VariantSummary> variants,
    String lastDeploymentConfigJson,
    PendingDeployment pending) {

  /**
   * ProductionVariantSummary.
   *
   * @param statuses VariantStatus entries (Creating, Updating, Deleting, ActivatingTraffic, Baking)
   *     while something is under way; empty when the variant is settled
   */
  public record VariantSummary(
      String variantName,
      List<DeployedImage> deployedImages,
      double currentWeight,
      double desiredWeight,
      int currentInstanceCount,
      int desiredInstanceCount,
      List<VariantStatus> statuses) {}

  public record DeployedImage(
      String specifiedImage, String resolvedImage, Instant resolutionTime) {}

  public record VariantStatus(String status, String statusMessage, Instant startTime) {}

  /** PendingDeploymentSummary. */
  public record PendingDeployment(
      String endpointConfigName, List<VariantSummary> variants, Instant startTime) {}
}
