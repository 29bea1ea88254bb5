package io.sagebrush.scheduler.common;

/** SageMaker's SortOrder values. */
public enum SortOrder {
  Ascending,
  Descending
}
