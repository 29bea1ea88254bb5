package io.sagebrush.scheduler.model.domain;

import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.List;

/**
 * A validated CreateModel request.
 *
 * @param primaryContainerJson the PrimaryContainer member as JSON text, null when absent
 * @param containersJson the Containers member as JSON text, null when absent
 */
public record ModelSpec(
    String name,
    String executionRoleArn,
    String primaryContainerJson,
    String containersJson,
    boolean enableNetworkIsolation,
    List<Tag> tags) {
  public ModelSpec {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
