package io.sagebrush.scheduler.endpoint.service;

import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.endpoint.domain.DeploymentPolicy;
import io.sagebrush.scheduler.endpoint.domain.DesiredWeightAndCapacity;
import io.sagebrush.scheduler.endpoint.domain.EndpointQuery;
import io.sagebrush.scheduler.endpoint.domain.EndpointUpdate;
import io.sagebrush.scheduler.endpoint.domain.EndpointView;
import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.List;

/**
 * Endpoints. Every method that names a missing endpoint throws {@code VALIDATION} with SageMaker's
 * message ({@code Could not find endpoint "<arn>".}), which the botocore waiters rely on.
 */
public interface EndpointService {

  /**
   * Creates the endpoint in {@code Creating}; the fleet reconciler brings its replicas up.
   *
   * @return the endpoint ARN
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION when the name is taken ("Cannot
   *     create already existing endpoint "<arn>".") or the config or one of its models does not
   *     exist
   */
  String create(String name, String configName, DeploymentPolicy policy, List<Tag> tags);

  EndpointView describe(String name);

  Page<EndpointView> list(EndpointQuery query);

  /**
   * Starts a blue/green or rolling update to another config; only from InService.
   *
   * @return the endpoint ARN
   */
  String update(EndpointUpdate update);

  /** Changes weights now and instance counts through the reconciler; only from InService. */
  String updateWeightsAndCapacities(String name, List<DesiredWeightAndCapacity> desired);

  /** Moves the endpoint to Deleting; it disappears once its replicas are stopped. */
  void delete(String name);

  boolean exists(String name);
}
