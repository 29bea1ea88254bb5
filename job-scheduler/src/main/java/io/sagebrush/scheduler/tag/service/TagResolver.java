package io.sagebrush.scheduler.tag.service;

/**
 * Knows whether resources of one ARN resource type exist, so tags can be attached to them.
 * Endpoints, models and others plug in by adding a resolver bean.
 */
public interface TagResolver {
  /** The ARN resource type, e.g. {@code training-job}. */
  String resourceType();

  /** True when the resource with this (lower-cased) ARN exists. */
  boolean exists(String arn);
}
