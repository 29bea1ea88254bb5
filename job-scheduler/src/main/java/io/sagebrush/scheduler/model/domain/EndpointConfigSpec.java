package io.sagebrush.scheduler.model.domain;

import io.sagebrush.scheduler.trainingjob.domain.Tag;
import java.util.List;

/**
 * A validated CreateEndpointConfig request.
 *
 * @param echoJson the members Describe echoes, as JSON text
 */
public record EndpointConfigSpec(
    String name, List<ProductionVariantSpec> variants, String echoJson, List<Tag> tags) {
  public EndpointConfigSpec {
    variants = List.copyOf(variants);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
