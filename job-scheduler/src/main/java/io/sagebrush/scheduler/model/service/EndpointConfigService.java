package io.sagebrush.scheduler.model.service;

import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.model.domain.EndpointConfig;
import io.sagebrush.scheduler.model.domain.EndpointConfigSpec;
import io.sagebrush.scheduler.model.domain.ModelQuery;

/** CreateEndpointConfig, DescribeEndpointConfig, ListEndpointConfigs, DeleteEndpointConfig. */
public interface EndpointConfigService {
  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION for a duplicate name ("Cannot
   *     create already existing endpoint configuration "arn"."), a missing model ("Could not find
   *     model "arn".") or an instance type the catalogue does not know
   */
  EndpointConfig create(EndpointConfigSpec spec);

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION "Could not find endpoint
   *     configuration "arn"."
   */
  EndpointConfig describe(String name);

  /** Same filters, sorting and paging as ListModels. */
  Page<EndpointConfig> list(ModelQuery query);

  /**
   * Deletes the config and its tags (allowed while endpoints use it).
   *
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION "Could not find endpoint
   *     configuration "arn"."
   */
  void delete(String name);
}
