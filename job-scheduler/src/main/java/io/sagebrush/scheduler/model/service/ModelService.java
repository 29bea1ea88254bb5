package io.sagebrush.scheduler.model.service;

import io.sagebrush.scheduler.common.Page;
import io.sagebrush.scheduler.model.domain.Model;
import io.sagebrush.scheduler.model.domain.ModelQuery;
import io.sagebrush.scheduler.model.domain.ModelSpec;

/** CreateModel, DescribeModel, ListModels and DeleteModel. */
public interface ModelService {
  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION "Cannot create already existing
   *     model "arn"." for a duplicate name (case-insensitive)
   */
  Model create(ModelSpec spec);

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION "Could not find model "arn"."
   */
  Model describe(String name);

  /**
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION for a bad token
   */
  Page<Model> list(ModelQuery query);

  /**
   * Deletes the model and its tags.
   *
   * @throws io.sagebrush.common.error.SagebrushException VALIDATION "Could not find model "arn"."
   */
  void delete(String name);

  /** True when a model of this name exists (case-insensitive). */
  boolean exists(String name);
}
